"""The list envelope every list endpoint returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from tradeshield.pagination import PageOf

Item = TypeVar("Item", bound=BaseModel)


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None


def to_page(found: PageOf[Any], convert: Callable[[Any], Item]) -> Page[Item]:
    return Page[Any](items=[convert(row) for row in found.items], next_cursor=found.next_cursor)
