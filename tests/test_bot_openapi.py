"""schemathesis against the submission service's OpenAPI spec: no 5xx, and every answer as described.

The spec is read from the app's own ``/openapi.json``; hypothesis generates requests for every
operation, derandomized so a failure comes back on the next run. Each answer must not be a server
error, and its status code, content type, headers and body must be the ones the spec declares.

Random posts to ``/profile`` never solve the proof of work, so most would stop at the spam check. To
reach the validator too, a generated form without a ``pow`` field gets a fresh form time and a solved
proof of work added (and its honeypot emptied); one with a ``pow`` field is sent as generated.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
from collections import Counter

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from support import SITE_ORIGIN, Clock

from cucon.bot import abuse
from cucon.bot.app import create_app
from cucon.bot.pages import HONEYPOT

logger = logging.getLogger(__name__)

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)
EXAMPLES = 100
"""Examples per operation and mode: the whole test takes about 20 s on two cores."""


@pytest.fixture
def fuzz_app(config):
    """The app with a rate limit that random posts never reach and no minimum form time."""
    fuzz_config = dataclasses.replace(config, rate_limit=(100_000, 600), min_form_seconds=0.0)
    yield create_app(fuzz_config, clock=Clock(), worker_idle=0.05)
    stop_apps()


def solved_tokens(app) -> dict[str, str]:
    """A form time and a solved proof of work, as the form page and pow.js would give them."""
    config = app.state.config
    now = Clock()()
    challenge = abuse.create_challenge(config.secret, config.pow_max_number, now)
    return {"form_time": abuse.sign_form_time(config.secret, now), "pow": abuse.solve_challenge(challenge)}


def test_the_service_answers_as_its_spec_says(fuzz_app):
    """For every operation of the spec: no 5xx, and no status, content type, header or body it does not declare.

    (schemathesis's own pytest integration, ``from_fixture``, does not run under pytest 9: a loop over
    the operations with one hypothesis test each does the same.)
    """
    api = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert {op.label for op in operations} >= {"GET /", "GET /profile/new", "POST /profile", "GET /healthz"}
    answers: Counter[tuple[str, str, int]] = Counter()
    for operation, mode in itertools.product(operations, GenerationMode):

        @hypothesis.given(case=operation.as_strategy(mode))
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        def fuzz(case):
            headers = {}
            if case.method == "POST":
                headers["Origin"] = SITE_ORIGIN
                if isinstance(case.body, dict) and "pow" not in case.body:
                    case.body = {**case.body, **solved_tokens(fuzz_app), HONEYPOT: ""}
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            answers[(case.operation.label, case.meta.generation.mode.value, response.status_code)] += 1

        try:
            fuzz()
        except hypothesis.errors.Unsatisfiable:
            if mode is GenerationMode.POSITIVE:
                raise
            # No invalid request exists: no parameters, or only a path string (any string is one).
        except Exception as exc:
            exc.add_note(f"operation: {operation.label}, {mode.value} examples")
            raise
    logger.info(
        "schemathesis: %d requests, %d operations, no failed check", sum(answers.values()), len(operations)
    )
    for (label, mode, status), count in sorted(answers.items()):
        logger.info("  %-28s %-9s %d: %d", label, mode, status, count)
    assert not [key for key in answers if key[2] >= 500]
    assert {label for label, mode, _ in answers if mode == "positive"} == {op.label for op in operations}


def stop_apps() -> None:
    """Run the lifespan shutdown (worker, spool) of the apps schemathesis started: it keeps them running."""
    asgi.shutdown_lifespans()


def test_the_refusals_are_described_too(config):
    """403, 413 and 429 happen before the form is read; they too are in the spec, as sent."""
    small = dataclasses.replace(config, rate_limit=(1, 600), max_body_bytes=2048)
    api = schemathesis.openapi.from_asgi("/openapi.json", create_app(small, clock=Clock(), worker_idle=0.05))
    post = api["/profile"]["POST"]
    cases = [
        ({}, {"name": "x"}, 403),
        ({"Origin": SITE_ORIGIN}, {"name": "x" * 4096}, 413),
        ({"Origin": SITE_ORIGIN}, {"name": "x"}, 422),
        ({"Origin": SITE_ORIGIN}, {"name": "x"}, 429),
    ]
    for headers, body, status in cases:
        case = post.Case(body=body, media_type="multipart/form-data")
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == status, json.dumps(case.body)[:200]
    stop_apps()
