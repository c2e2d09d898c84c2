"""The closed sets an import is described by: what the file holds and how it is written."""

from __future__ import annotations

import enum
from pathlib import Path

from tradeshield.errors import Invalid


class ImportKind(enum.StrEnum):
    ORDERS = "orders"
    SHIPMENTS = "shipments"
    CASES = "cases"


class FileFormat(enum.StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


_EXTENSIONS = {
    ".jsonl": FileFormat.JSONL,
    ".ndjson": FileFormat.JSONL,
    ".csv": FileFormat.CSV,
}


def format_for_path(path: Path) -> FileFormat:
    """The format a file's extension announces; refuses one it cannot tell."""
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        known = ", ".join(sorted(_EXTENSIONS))
        raise Invalid(
            f"cannot tell the format of {path.name!r} from its extension (known: {known});"
            " give the format explicitly",
            field="format",
        )
    return found
