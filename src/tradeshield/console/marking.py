"""The marker for console message ids, apart so every labels file can use it."""

from __future__ import annotations


def N_(msgid: str) -> str:  # noqa: N802  the gettext name that extraction tools know
    """Marks a message id for the catalogue without translating it yet."""
    return msgid
