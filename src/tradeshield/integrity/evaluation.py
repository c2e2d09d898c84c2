"""Scoring a demo marketplace and comparing with its hidden labels (evaluation only).

The labels are read here and nowhere else in the module; nothing that scores or trains
imports this file. Patterns and ring keys come from the demo service's evaluation-only
functions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from tradeshield.demo import service as demo
from tradeshield.integrity.kinds import TIER_ORDER
from tradeshield.integrity.metrics import adjusted_rand_index, auc, precision_recall_at
from tradeshield.integrity.pipeline import MarketAssessment
from tradeshield.integrity.policy import IntegrityPolicy

ABUSIVE = ("refund_only_abuser", "return_swapper", "fake_return_sender", "ring_member")
HONEST_BAD_LUCK = "honest_bad_luck"


@dataclass(frozen=True, slots=True)
class BuyerLabel:
    pattern: str
    ring_key: str | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    accounts: int
    abusive: int
    queue_size: int
    precision_at_queue: float
    recall_at_queue: float
    auc: float
    honest_bad_luck: int
    honest_bad_luck_in_queue: int
    ring_members: int
    ring_members_found: int
    ring_ari: float
    recall_by_pattern: dict[str, float]

    @property
    def honest_false_positive_rate(self) -> float:
        return self.honest_bad_luck_in_queue / max(self.honest_bad_luck, 1)


def hidden_buyer_labels(session: Session, tenant_id: int) -> dict[int, BuyerLabel]:
    patterns = demo.labelled_patterns(session, tenant_id, "buyer")
    ring_keys = demo.labelled_ring_keys(session, tenant_id)
    return {b: BuyerLabel(p, ring_keys.get(b)) for b, p in patterns.items()}


def evaluate(
    assessment: MarketAssessment, labels: dict[int, BuyerLabel], policy: IntegrityPolicy
) -> Evaluation:
    ids = assessment.scores.buyer_ids.tolist()
    patterns = [labels[b].pattern if b in labels else "" for b in ids]
    abusive = np.array([p in ABUSIVE for p in patterns])
    honest = np.array([p == HONEST_BAD_LUCK for p in patterns])
    queue_tiers = set(TIER_ORDER[TIER_ORDER.index(policy.queue.min_tier) :])
    queued = np.array([t in queue_tiers for t in assessment.scores.tiers])
    precision, recall = precision_recall_at(queued, abusive)
    by_pattern = {
        p: float((queued & np.array([q == p for q in patterns])).sum()) / max(patterns.count(p), 1)
        for p in ABUSIVE
    }
    found_ring = {b: r.ring_key for r in assessment.rings for b in r.member_ids}
    truth_ring = {b: lab.ring_key for b, lab in labels.items() if lab.ring_key}
    members = sorted(truth_ring)
    # Members found: in a detected ring together with at least one true partner.
    found = sum(
        1
        for b in members
        if b in found_ring
        and any(
            found_ring.get(o) == found_ring[b]
            for o in members
            if o != b and truth_ring[o] == truth_ring[b]
        )
    )
    union = sorted(set(members) | set(found_ring))
    ari = adjusted_rand_index(
        [truth_ring.get(b, f"none-{b}") for b in union],
        [found_ring.get(b, f"none-{b}") for b in union],
    )
    return Evaluation(
        accounts=len(ids), abusive=int(abusive.sum()), queue_size=int(queued.sum()),
        precision_at_queue=precision, recall_at_queue=recall,
        auc=auc(assessment.scores.log_odds, abusive), honest_bad_luck=int(honest.sum()),
        honest_bad_luck_in_queue=int((queued & honest).sum()), ring_members=len(members),
        ring_members_found=found, ring_ari=ari, recall_by_pattern=by_pattern,
    )  # fmt: skip


def report_lines(result: Evaluation, rings_found: int) -> list[str]:
    lines = [
        f"accounts {result.accounts}, labelled abusive {result.abusive}",
        f"review queue {result.queue_size}: precision {result.precision_at_queue:.3f}, "
        f"recall {result.recall_at_queue:.3f}",
        f"AUC (risk vs abusive label) {result.auc:.3f}",
    ]
    lines += [f"  recall {p}: {share:.3f}" for p, share in result.recall_by_pattern.items()]
    lines += [
        f"honest bad luck in queue: {result.honest_bad_luck_in_queue} of "
        f"{result.honest_bad_luck} (FPR {result.honest_false_positive_rate:.3f})",
        f"rings: {rings_found} found; ring members found with a partner "
        f"{result.ring_members_found} of {result.ring_members}; ARI {result.ring_ari:.3f}",
    ]
    return lines
