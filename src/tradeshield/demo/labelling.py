"""Ground truth of the demo marketplace, written only to ``demo_labels``.

Labels name an entity (buyer, case, shipment, product) and the pattern it shows; ring
members carry their ring's key. Evaluation code reads them to score detectors; nothing
else may.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tradeshield.demo.models import AbusePattern
from tradeshield.demo.rows import IdSequence, Rows


@dataclass(slots=True)
class LabelBook:
    entity_type: list[str] = field(default_factory=list)
    entity_id: list[int] = field(default_factory=list)
    pattern: list[str] = field(default_factory=list)
    ring_key: list[str | None] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def add(
        self,
        entity_type: str,
        entity_id: int,
        pattern: AbusePattern,
        ring_key: str | None = None,
        details: dict[str, Any] | str | None = None,
    ) -> None:
        self.entity_type.append(entity_type)
        self.entity_id.append(entity_id)
        self.pattern.append(pattern.value)
        self.ring_key.append(ring_key)
        self.details.append(details if isinstance(details, str) else json.dumps(details or {}))
        self.counts[f"{pattern.value}/{entity_type}"] += 1

    def flush(self, ids: IdSequence, tenant_id: int) -> Rows:
        """The labels added since the last flush, as rows."""
        count = len(self.entity_id)
        rows = Rows("demo_labels", count, {
            "id": ids.take("demo_labels", count), "tenant_id": tenant_id,
            "entity_type": self.entity_type, "entity_id": self.entity_id,
            "pattern": self.pattern, "ring_key": self.ring_key, "details": self.details,
        })  # fmt: skip
        self.entity_type, self.entity_id, self.pattern = [], [], []
        self.ring_key, self.details = [], []
        return rows
