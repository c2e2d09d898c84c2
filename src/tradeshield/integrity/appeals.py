"""Appeals of integrity actions. An upheld appeal lifts the action for good and counts as a
good signal: the account's level gets the policy's bonus on every later score."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.db import utcnow
from tradeshield.errors import Conflict, Invalid, NotFound
from tradeshield.integrity.kinds import ActionState, AppealState
from tradeshield.integrity.models import IntegrityAction, IntegrityAppeal
from tradeshield.integrity.policy import IntegrityPolicy
from tradeshield.integrity.store import APPEAL_UPHELD
from tradeshield.tenancy.scope import Scope

MAX_STATEMENT = 4000


def _action(session: Session, scope: Scope, action_id: int) -> IntegrityAction:
    action = session.get(IntegrityAction, action_id)
    if action is None or action.tenant_id != scope.tenant_id:
        raise NotFound(f"integrity action {action_id} does not exist")
    return action


def get_appeal(session: Session, scope: Scope, appeal_id: int) -> IntegrityAppeal:
    appeal = session.get(IntegrityAppeal, appeal_id)
    if appeal is None or appeal.tenant_id != scope.tenant_id:
        raise NotFound(f"integrity appeal {appeal_id} does not exist")
    return appeal


def open_appeal(session: Session, scope: Scope, action_id: int, statement: str) -> IntegrityAppeal:
    """Appeal an active action; one open appeal per action."""
    scope.require_write()
    text = statement.strip()
    if not text or len(text) > MAX_STATEMENT:
        raise Invalid(f"statement must be 1 to {MAX_STATEMENT} characters", field="statement")
    action = _action(session, scope, action_id)
    if action.state is not ActionState.ACTIVE:
        raise Conflict(f"action {action_id} is not active, there is nothing to appeal")
    pending = select(IntegrityAppeal.id).where(
        IntegrityAppeal.action_id == action_id, IntegrityAppeal.state == AppealState.OPEN
    )
    if session.scalar(pending) is not None:
        raise Conflict(f"action {action_id} already has an open appeal")
    appeal = IntegrityAppeal(
        tenant_id=scope.tenant_id, buyer_id=action.buyer_id, action_id=action_id,
        statement=text, state=AppealState.OPEN, decision_note="", created_at=utcnow(),
    )  # fmt: skip
    session.add(appeal)
    session.flush()
    audit.record(session, scope, "integrity_appeal", appeal.id, "opened", {"action_id": action_id})
    return appeal


def decide_appeal(
    session: Session, scope: Scope, appeal_id: int, upheld: bool, note: str
) -> IntegrityAppeal:
    """Decide an open appeal (operators only); upholding it lifts the action."""
    scope.require_operator()
    appeal = get_appeal(session, scope, appeal_id)
    if appeal.state is not AppealState.OPEN:
        raise Conflict(f"appeal {appeal_id} was already decided ({appeal.state.value})")
    now = utcnow()
    appeal.state = AppealState.UPHELD if upheld else AppealState.REJECTED
    appeal.decision_note = note.strip()
    appeal.decided_by = scope.actor
    appeal.decided_at = now
    if upheld:
        action = _action(session, scope, appeal.action_id)
        action.state = ActionState.LIFTED
        action.lifted_at = now
        action.lifted_because = APPEAL_UPHELD
    session.flush()
    audit.record(
        session, scope, "integrity_appeal", appeal.id, "decided", {"state": appeal.state.value}
    )
    return appeal


def list_appeals(
    session: Session, scope: Scope, state: AppealState | None = None, limit: int = 100
) -> list[IntegrityAppeal]:
    query = select(IntegrityAppeal).where(IntegrityAppeal.tenant_id == scope.tenant_id)
    if state is not None:
        query = query.where(IntegrityAppeal.state == state)
    return list(session.scalars(query.order_by(IntegrityAppeal.id.desc()).limit(limit)))


def appeal_bonus_points(
    session: Session, tenant_id: int, policy: IntegrityPolicy, buyer_id: int | None = None
) -> dict[int, float]:
    """Level points each account earned back through upheld appeals."""
    query = (
        select(IntegrityAppeal.buyer_id, func.count())
        .where(IntegrityAppeal.tenant_id == tenant_id, IntegrityAppeal.state == AppealState.UPHELD)
        .group_by(IntegrityAppeal.buyer_id)
    )
    if buyer_id is not None:
        query = query.where(IntegrityAppeal.buyer_id == buyer_id)
    bonus = policy.guards.upheld_appeal_bonus
    return {int(b): float(n) * bonus for b, n in session.execute(query)}
