"""What every stage of a chunk needs to know about the marketplace being generated."""

from __future__ import annotations

from dataclasses import dataclass

from tradeshield.cases.policy import DeadlinePolicy
from tradeshield.demo.catalogue import Catalogue
from tradeshield.demo.population import Population
from tradeshield.demo.rows import IdSequence


@dataclass(frozen=True, slots=True)
class Market:
    seed: int
    now: int  # business "now", seconds since the epoch
    tenant_id: int
    ids: IdSequence
    catalogue: Catalogue
    population: Population
    policy: DeadlinePolicy
