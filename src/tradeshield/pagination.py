"""Keyset pagination over ids, newest first, with opaque cursors."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from tradeshield.errors import Invalid

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageRequest:
    cursor: str | None = None
    limit: int = 50

    def before_id(self) -> int | None:
        return decode_cursor(self.cursor) if self.cursor else None


@dataclass(frozen=True, slots=True)
class PageOf(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


def encode_cursor(before_id: int) -> str:
    raw = json.dumps({"before": before_id}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded))["before"]
    except (ValueError, KeyError, TypeError) as exc:
        raise Invalid("cursor is not one this API issued", field="cursor") from exc
    if not isinstance(value, int):
        raise Invalid("cursor is not one this API issued", field="cursor")
    return value


def keyset_page(
    session: Session,
    query: Select[tuple[T]],
    id_column: InstrumentedAttribute[int],
    page: PageRequest,
) -> PageOf[T]:
    """One page of ``query`` ordered by id descending; two pages never overlap."""
    before = page.before_id()
    if before is not None:
        query = query.where(id_column < before)
    rows = list(session.scalars(query.order_by(id_column.desc()).limit(page.limit + 1)))
    has_more = len(rows) > page.limit
    rows = rows[: page.limit]
    last: Any = rows[-1] if rows else None
    next_cursor = encode_cursor(last.id) if has_more and last is not None else None
    return PageOf(items=rows, next_cursor=next_cursor)
