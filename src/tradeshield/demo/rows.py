"""Rows on their way to a table, held by column, and the ids the generator hands out.

Columns are numpy arrays (datetime64 columns become timestamps, NaT becomes NULL), lists,
or one scalar repeated for every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from tradeshield.demo.sampling import Ints

Column = npt.NDArray[Any] | list[Any] | int | str | bool | None


@dataclass(frozen=True, slots=True)
class Rows:
    table: str
    count: int
    columns: dict[str, Column]


def nullable(values: npt.NDArray[Any], present: npt.NDArray[np.bool_]) -> npt.NDArray[Any]:
    """``values`` where ``present``, NULL elsewhere."""
    column = values.astype(object)
    column[~present] = None
    return column


class IdSequence:
    """Explicit ids, continuing after whatever each table already holds."""

    def __init__(self, last_ids: dict[str, int]) -> None:
        self._next = {table: last + 1 for table, last in last_ids.items()}

    def take(self, table: str, count: int) -> Ints:
        first = self._next[table]
        self._next[table] = first + count
        return np.arange(first, first + count, dtype=np.int64)
