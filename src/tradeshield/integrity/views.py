"""An account's whole integrity picture, gathered once for the API and the console."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tradeshield.integrity import service
from tradeshield.integrity.schemas import (
    AccountOut,
    ActionOut,
    AppealOut,
    LinkedAccountOut,
    ScoreBriefOut,
    ScoreOut,
)
from tradeshield.tenancy.scope import Scope


def account_view(session: Session, scope: Scope, buyer_id: int) -> AccountOut:
    decision = service.tier_for_buyer(session, scope, buyer_id)
    history = service.score_history(session, scope, buyer_id)
    if not history:
        service.require_buyer(session, scope, buyer_id)
    current = service.current_score(session, scope, buyer_id)
    linked = service.linked_accounts(session, scope, buyer_id)
    levels = service.levels_of(session, scope, list(linked))
    appeals = [a for a in service.list_appeals(session, scope) if a.buyer_id == buyer_id]
    return AccountOut(
        buyer_id=buyer_id,
        tier=decision.tier,
        level=decision.level,
        score=ScoreOut.model_validate(current) if current is not None else None,
        history=[ScoreBriefOut.model_validate(s) for s in history],
        actions=[ActionOut.model_validate(a) for a in service.actions_of(session, scope, buyer_id)],
        appeals=[AppealOut.model_validate(a) for a in appeals],
        linked=[
            LinkedAccountOut(
                buyer_id=other,
                shared=sorted(set(kinds)),
                level=levels[other].level if other in levels else None,
                tier=levels[other].tier if other in levels else None,
            )
            for other, kinds in sorted(linked.items())
        ],
    )
