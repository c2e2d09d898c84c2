"""Put a buyer in an integrity tier the way a recompute does: a current score, then the
actions its tier implies (written through the integrity module's store)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tradeshield.db import utcnow
from tradeshield.i18n.catalog import reason
from tradeshield.integrity import store
from tradeshield.integrity.kinds import Tier
from tradeshield.integrity.policy import load_policy


def give_tier(session: Session, tenant_id: int, buyer_id: int, tier: Tier, level: float) -> None:
    row = store.ScoreRow(
        buyer_id=buyer_id,
        level=level,
        tier=tier,
        log_odds=0.0,
        ring_key=None,
        reasons=[reason("platform_decision", note="test score")],
        inputs={"claims_365d": 9.0},
    )
    store.write_scores(session, tenant_id, [row], {"model": "test"}, utcnow())
    store.sync_actions(session, tenant_id, {buyer_id: tier}, load_policy())
