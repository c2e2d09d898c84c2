"""What of an evidence record the chain commits to: one canonical dict per record.

The service builds it from a stored row, the demo generator from the values it is about to
write; both must give the same dict, so both call these functions. Times are whole seconds
in ISO 8601 with an offset, as they read back from every database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

UNIT_FIELDS = (
    "id", "tenant_id", "merchant_id", "order_id", "shipment_id", "stage", "unit_index",
    "serial", "serial_format", "anti_counterfeit_code", "seal_id", "seal_intact",
    "weight_grams", "dimensions_mm", "photos", "packing_video_sha256", "accessories",
    "damage_noted", "recorded_by",
)  # fmt: skip
VERIFICATION_FIELDS = (
    "id", "tenant_id", "merchant_id", "order_id", "buyer_id", "return_shipment_id",
    "shipped_evidence_id", "returned_evidence_id", "result", "checks", "liable_party",
    "clause_ids", "versions",
)  # fmt: skip


def moment(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") and not isinstance(value, int) else value


def unit_record(values: dict[str, Any], recorded_at: str) -> dict[str, Any]:
    record = {name: _plain(values[name]) for name in UNIT_FIELDS}
    record["recorded_at"] = recorded_at
    files = [str(photo["sha256"]) for photo in values["photos"]]
    if values["packing_video_sha256"]:
        files.append(str(values["packing_video_sha256"]))
    record["file_sha256s"] = files
    return record


def verification_record(values: dict[str, Any], created_at: str) -> dict[str, Any]:
    record = {name: _plain(values[name]) for name in VERIFICATION_FIELDS}
    record["created_at"] = created_at
    return record
