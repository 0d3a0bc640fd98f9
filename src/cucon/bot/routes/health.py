"""GET /healthz: health, delivery and spool counts, for the monitor."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from cucon import __version__
from cucon.bot.logs import logger
from cucon.bot.service import ServiceDep

router = APIRouter()


def _age(now: float, since: float | None) -> float | None:
    """Seconds from ``since`` to ``now`` (never negative), or None.

    >>> _age(100.0, 40.0), _age(100.0, 130.0), _age(100.0, None)
    (60.0, 0.0, None)
    """
    return None if since is None else max(0.0, now - since)


_COUNT = {"type": "integer", "minimum": 0}
_TIME = {"type": ["number", "null"], "description": "Unix seconds, or null for never."}
_SECONDS = {"type": ["number", "null"], "minimum": 0}
_KIND = {"type": ["string", "null"]}
_HEALTH_SCHEMA = {
    "type": "object",
    "required": ["ok", "version", "spool", "delivery", "checkout"],
    "properties": {
        "ok": {"type": "boolean"},
        "version": {"type": "string"},
        "spool": {"type": "object", "additionalProperties": _COUNT},
        "delivery": {
            "type": "object",
            "required": [
                "oldest_waiting_seconds", "failing_seconds", "stuck_after_seconds", "last_push", "last_error"
            ],
            "properties": {
                "oldest_waiting_seconds": _SECONDS,
                "failing_seconds": _SECONDS,
                "stuck_after_seconds": {"type": "number", "minimum": 0},
                "last_push": _TIME,
                "last_error": _KIND,
            },
        },
        "checkout": {
            "type": "object",
            "required": ["last_refresh", "last_error"],
            "properties": {"last_refresh": _TIME, "last_error": _KIND},
        },
    },
}  # fmt: skip
_HEALTH = {
    "description": "The service runs and delivers; the version, where delivery and the checkout stand,"
    " and the number of spooled entries per state.",
    "content": {"application/json": {"schema": _HEALTH_SCHEMA}},
}
_STUCK = {
    "description": "Delivery has been failing for longer than CUCON_BOT_HEALTH_STUCK_SECONDS; the same body,"
    " with ok false.",
    "content": {"application/json": {"schema": _HEALTH_SCHEMA}},
}


@router.get("/healthz", summary="Health, delivery and spool counts", responses={200: _HEALTH, 503: _STUCK})
def healthz(svc: ServiceDep) -> JSONResponse:
    now = svc.clock()
    delivery = svc.spool.delivery()
    stuck = (
        delivery.failing_since is not None and now - delivery.failing_since > svc.config.health_stuck_seconds
    )
    body = {
        "ok": not stuck,
        "version": __version__,
        "spool": svc.spool.counts(),
        "delivery": {
            "oldest_waiting_seconds": _age(now, delivery.waiting_since),
            "failing_seconds": _age(now, delivery.failing_since),
            "stuck_after_seconds": svc.config.health_stuck_seconds,
            "last_push": delivery.last_push,
            "last_error": delivery.last_error.split(":", 1)[0] if delivery.last_error else None,
        },
        "checkout": {"last_refresh": svc.checkout.last_refresh, "last_error": svc.checkout.last_error},
    }
    if stuck:
        logger.error(
            "delivery_stuck",
            extra={"event": "delivery_stuck", "seconds": body["delivery"]["failing_seconds"]},
        )
    return JSONResponse(body, status_code=503 if stuck else 200)
