"""Named job handlers.

A handler gets a session factory (it opens its own transactions, one per batch of work, so
progress can be written between them), the payload and a progress callback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

Progress = Callable[[float], None]
Handler = Callable[[sessionmaker[Session], dict[str, Any], Progress], dict[str, Any]]

_HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _HANDLERS[name] = function
        return function

    return register


def lookup(name: str) -> Handler:
    from tradeshield.jobs import handlers  # noqa: F401  registers the built-in handlers

    try:
        return _HANDLERS[name]
    except KeyError:
        raise KeyError(f"no job handler named {name!r}") from None


def names() -> list[str]:
    from tradeshield.jobs import handlers  # noqa: F401

    return sorted(_HANDLERS)
