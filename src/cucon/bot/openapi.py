"""The OpenAPI descriptions that the form and link routes share: HTML answers and multipart bodies."""

from __future__ import annotations

from typing import Any

from cucon.bot.pages import HONEYPOT


def html_answer(description: str, retry_after: bool = False) -> dict[str, Any]:
    """An OpenAPI response of an HTML page, with the Retry-After header where it is sent."""
    response: dict[str, Any] = {
        "description": description,
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
    if retry_after:
        response["headers"] = {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 1}}
        }
    return response


POST_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: html_answer("Received and spooled; a pull request follows (also for a known Idempotency-Key)."),
    400: html_answer("The form could not be read as multipart."),
    403: html_answer("The Origin (or, without one, the Referer) is not allowed."),
    413: html_answer("The body is larger than the limit."),
    422: html_answer(
        "The spam check failed, or the entry is not valid; the form comes back with the errors."
    ),
    429: html_answer(
        "Too many posts from one address, or too many entries from its network or e-mail address "
        "awaiting confirmation; see Retry-After.",
        retry_after=True,
    ),
    503: html_answer(
        "The spool is full, the disk nearly full, or the base branch does not pass the validator; "
        "see Retry-After.",
        retry_after=True,
    ),
}
"""The answers to a post of a form."""


def request_body_schema(upload: str | None = "photo") -> dict[str, Any]:
    """The OpenAPI description of a form's multipart body, with its upload field if it has one."""
    files = {upload: {"type": "string", "format": "binary"}} if upload else {}
    return {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        **files,
                        "form_time": {"type": "string"},
                        "pow": {"type": "string"},
                        "idempotency_key": {"type": "string"},
                        HONEYPOT: {"type": "string"},
                    },
                    "additionalProperties": {"type": "string"},
                }
            }
        },
    }
