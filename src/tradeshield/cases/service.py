"""Opening cases, acting on them, rulings, appeals and the deadline sweep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Row, Select, String, func, select, type_coerce
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.bulk_frames import FrameQuery, whole_tenant
from tradeshield.bulk_reads import dialect_of, epoch_seconds
from tradeshield.cases import lifecycle
from tradeshield.cases.facts import case_facts
from tradeshield.cases.kinds import CaseKind, CaseState, DecidedBy, Outcome, Party
from tradeshield.cases.lifecycle import Action, AutoRuling
from tradeshield.cases.models import Appeal, Case, Ruling
from tradeshield.cases.policy import load_policy
from tradeshield.cases.schemas import (
    AppealIn,
    BuyerShipReturn,
    CaseActionIn,
    CaseIn,
    MerchantOfferPartial,
    MerchantReportForgery,
    PlatformRule,
)
from tradeshield.catalog import service as catalog
from tradeshield.catalog.industries import Industry
from tradeshield.db import utcnow
from tradeshield.errors import Conflict, Forbidden, Invalid, NotFound
from tradeshield.i18n.catalog import reason
from tradeshield.orders import service as orders
from tradeshield.pagination import PageOf, PageRequest, keyset_page
from tradeshield.rules.adjudication import RulingValue, adjudicate
from tradeshield.rules.facts import CaseFacts
from tradeshield.rules.library import default_library
from tradeshield.shipments import service as shipments
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope

_DEADLINE_REASON = {
    CaseState.AWAITING_MERCHANT: "merchant_no_answer",
    CaseState.AWAITING_BUYER: "buyer_no_response",
    CaseState.AWAITING_RETURN: "buyer_did_not_ship",
    CaseState.RETURN_IN_TRANSIT: "merchant_no_inspection",
    CaseState.RESOLVED: "appeal_window_over",
}


def open_case(session: Session, scope: Scope, case_in: CaseIn) -> Case:
    scope.require_operator()
    order = orders.get_order(session, scope, case_in.order_id)
    if case_in.currency != order.currency:
        raise Invalid(f"order is in {order.currency}, not {case_in.currency}", field="currency")
    if case_in.claimed_amount_minor > order.total_minor:
        raise Invalid(
            f"claimed {case_in.claimed_amount_minor} exceeds the order total {order.total_minor}",
            field="claimed_amount_minor",
        )
    if case_in.external_ref is not None:
        taken = select(Case.id).where(
            Case.tenant_id == scope.tenant_id, Case.external_ref == case_in.external_ref
        )
        if session.scalar(taken) is not None:
            raise Conflict(f"a case with external_ref {case_in.external_ref!r} exists")
    policy = load_policy()
    opened_at = case_in.opened_at or utcnow()
    case = Case(
        tenant_id=scope.tenant_id,
        merchant_id=order.merchant_id,
        buyer_id=order.buyer_id,
        state=CaseState.AWAITING_MERCHANT,
        deadline_at=policy.deadline_after(CaseState.AWAITING_MERCHANT, opened_at),
        policy_version=policy.version,
        updated_at=opened_at,
        **case_in.model_dump(exclude={"opened_at"}),
        opened_at=opened_at,
    )
    session.add(case)
    session.flush()
    audit.record(session, scope, "case", case.id, "opened", case_in.model_dump(mode="json"))
    return case


def get_case(session: Session, scope: Scope, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} does not exist")
    scope.check_row(case.tenant_id, case.merchant_id)
    return case


def list_cases(
    session: Session,
    scope: Scope,
    page: PageRequest,
    state: CaseState | None = None,
    merchant_id: int | None = None,
    buyer_id: int | None = None,
    order_id: int | None = None,
    deadline_before: dt.datetime | None = None,
    *,
    kind: CaseKind | None = None,
    industry: Industry | None = None,
) -> PageOf[Case]:
    """Cases newest first; ``deadline_before`` set to now lists the overdue ones."""
    query = select(Case).where(Case.tenant_id == scope.tenant_id)
    shop = scope.shop_filter(merchant_id)
    for column, value in (
        (Case.merchant_id, shop),
        (Case.state, state),
        (Case.kind, kind),
        (Case.buyer_id, buyer_id),
        (Case.order_id, order_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if deadline_before is not None:
        query = query.where(Case.deadline_at < deadline_before)
    if industry is not None:
        shops = catalog.merchant_ids_of_industry(session, scope, industry)
        query = query.where(Case.merchant_id.in_(shops))
    return keyset_page(session, query, Case.id, page)


def allowed_actions(case: Case) -> list[Action]:
    return lifecycle.allowed_actions(case.kind, case.reason_code, case.state)


def _acting_party(scope: Scope, action: Action) -> Party:
    """The party this caller acts for; a merchant key may act only for its shop."""
    parties = lifecycle.ACTORS[action]
    if scope.role is Role.READ_ONLY:
        raise Forbidden("this API key is read-only")
    if scope.role is Role.MERCHANT:
        if Party.MERCHANT not in parties:
            raise Forbidden(f"a merchant key may not perform {action.value}")
        return Party.MERCHANT
    if Party.SYSTEM in parties and scope.actor != "system":
        raise Forbidden(f"{action.value} is performed by the system only")
    return next(iter(sorted(parties)))


def act(
    session: Session,
    scope: Scope,
    case_id: int,
    action_in: CaseActionIn,
    now: dt.datetime | None = None,
) -> Case:
    """Perform one action on a case, as one step of its state machine."""
    case = get_case(session, scope, case_id)
    party = _acting_party(scope, action_in.action)
    if isinstance(action_in, AppealIn):
        if scope.role is Role.MERCHANT and action_in.party is not Party.MERCHANT:
            raise Forbidden("a merchant key appeals for the merchant only")
        party = action_in.party
    return _apply(session, scope, case, action_in.action, action_in, party, now or utcnow())


def _apply(
    session: Session,
    scope: Scope,
    case: Case,
    action: Action,
    action_in: CaseActionIn | None,
    party: Party,
    now: dt.datetime,
) -> Case:
    step = lifecycle.step(case.kind, case.reason_code, case.state, action)
    before = case.state
    _before_move(session, scope, case, action_in)
    case.state = step.state
    policy = load_policy()
    case.deadline_at = policy.deadline_after(step.state, now)
    case.updated_at = now
    if step.state is CaseState.CLOSED:
        case.closed_at = now
    ruling = None
    if step.ruling is not None:
        ruling = _auto_ruling(session, case, step.ruling, before, now)
    elif isinstance(action_in, PlatformRule):
        ruling = _platform_ruling(session, case, action_in, now)
    details: dict[str, Any] = {"from": before.value, "to": step.state.value, "party": party.value}
    if action_in is not None:
        details["input"] = action_in.model_dump(mode="json")
    if action is Action.DEADLINE and before in _DEADLINE_REASON:
        details["reason"] = _deadline_reason(before)
    if ruling is not None:
        details["ruling_id"] = ruling.id
    session.flush()
    audit.record(session, scope, "case", case.id, action.value, details)
    return case


def _before_move(
    session: Session, scope: Scope, case: Case, action_in: CaseActionIn | None
) -> None:
    """Checks and side effects that belong to particular actions."""
    if isinstance(action_in, MerchantOfferPartial):
        if action_in.amount_minor >= case.claimed_amount_minor:
            raise Invalid("a partial offer must be below the claimed amount", field="amount_minor")
        case.offer_amount_minor = action_in.amount_minor
    elif isinstance(action_in, MerchantReportForgery):
        case.forgery_suspected = True
    elif isinstance(action_in, BuyerShipReturn):
        shipments.create_return_shipment(session, scope, case.order_id, case.id, action_in.shipment)
    elif isinstance(action_in, PlatformRule):
        scope.require_operator()
        if action_in.amount_minor > case.claimed_amount_minor:
            raise Invalid("ruled amount exceeds the claimed amount", field="amount_minor")
    elif isinstance(action_in, AppealIn):
        _record_appeal(session, scope, case, action_in)


def _record_appeal(session: Session, scope: Scope, case: Case, appeal_in: AppealIn) -> None:
    policy = load_policy()
    if case.appeal_count >= policy.max_appeals:
        raise Conflict(f"this case has used all {policy.max_appeals} appeals")
    latest = latest_ruling(session, case.id)
    session.add(
        Appeal(
            tenant_id=scope.tenant_id,
            case_id=case.id,
            party=appeal_in.party,
            reason=appeal_in.reason,
            evidence_ids=list(appeal_in.evidence_ids),
            appealed_ruling_id=latest.id if latest else None,
        )
    )
    case.appeal_count += 1


def _deadline_reason(state: CaseState) -> dict[str, str]:
    hours = load_policy().hours.get(state, 0)
    return reason(_DEADLINE_REASON[state], hours=hours)


def latest_ruling(session: Session, case_id: int) -> Ruling | None:
    query = select(Ruling).where(Ruling.case_id == case_id).order_by(Ruling.sequence.desc())
    return session.scalars(query.limit(1)).first()


def _new_ruling(session: Session, case: Case, now: dt.datetime, **fields: Any) -> Ruling:
    previous = latest_ruling(session, case.id)
    count = session.scalar(select(func.count()).where(Ruling.case_id == case.id)) or 0
    ruling = Ruling(
        tenant_id=case.tenant_id,
        case_id=case.id,
        sequence=count + 1,
        currency=case.currency,
        supersedes_id=previous.id if previous else None,
        created_at=now,
        **fields,
    )
    session.add(ruling)
    session.flush()
    return ruling


def facts_of(session: Session, scope: Scope, case_id: int) -> dict[str, Any]:
    """The facts the rule packs read about a case, from its order, shop and parcel."""
    return case_facts(session, scope, get_case(session, scope, case_id))


def _auto_ruling(
    session: Session, case: Case, auto: AutoRuling, before: CaseState, now: dt.datetime
) -> Ruling:
    """An agreement or a missed deadline, ruled by the settlement rules of the packs."""
    params: dict[str, Any] = {}
    if auto.decided_by is DecidedBy.DEADLINE:
        params["hours"] = load_policy().hours.get(before, 0)
    scope = Scope.system(case.tenant_id)
    facts = case_facts(session, scope, case) | {"settlement": auto.reason_code}
    value = adjudicate(default_library(), CaseFacts.model_validate(facts))
    return _store_value(
        session, case, value, auto.decided_by, now, [reason(auto.reason_code, **params)]
    )


def _store_value(
    session: Session,
    case: Case,
    value: RulingValue,
    decided_by: DecidedBy,
    now: dt.datetime,
    first_reasons: list[dict[str, str]] | None = None,
) -> Ruling:
    return _new_ruling(
        session,
        case,
        now,
        outcome=value.outcome,
        liable_party=value.liable_party,
        amount_minor=value.amount_minor,
        decided_by=decided_by,
        reasons=(first_reasons or []) + value.reasons,
        clause_ids=list(value.clause_ids),
        versions={"deadline_policy": case.policy_version, "rule_packs": dict(value.versions)},
        inputs={"facts": value.inputs, "next_steps": value.next_steps},
    )


def record_rules_ruling(
    session: Session, scope: Scope, case_id: int, value: RulingValue, now: dt.datetime | None = None
) -> Ruling:
    """Store a ruling the rule packs made on an open case; a decisive one resolves the case.

    An ``escalate`` ruling is kept (with its reason) while the case waits for a person.
    """
    scope.require_operator()
    case = get_case(session, scope, case_id)
    if case.state not in lifecycle.OPEN_STATES:
        raise Conflict(f"case is {case.state.value}; only an open case can be ruled")
    now = now or utcnow()
    before = case.state
    if value.outcome is not Outcome.ESCALATE:
        step = lifecycle.step(case.kind, case.reason_code, case.state, Action.PLATFORM_RULE)
        case.state = step.state
        case.deadline_at = load_policy().deadline_after(step.state, now)
        case.updated_at = now
    ruling = _store_value(session, case, value, DecidedBy.RULES, now)
    details = {
        "from": before.value,
        "to": case.state.value,
        "party": Party.PLATFORM.value,
        "ruling_id": ruling.id,
        "decided_by_pack": value.decided_by_pack,
    }
    audit.record(session, scope, "case", case.id, "rules_ruling", details)
    if value.record_against_account:
        forged = {"case_id": case.id, "ruling_id": ruling.id, "clause_ids": value.clause_ids}
        audit.record(session, scope, "buyer", case.buyer_id, "forged_evidence_recorded", forged)
    return ruling


def _facts_json(session: Session, case: Case) -> dict[str, Any]:
    facts = CaseFacts.model_validate(case_facts(session, Scope.system(case.tenant_id), case))
    return facts.model_dump(mode="json")


def _platform_ruling(session: Session, case: Case, rule: PlatformRule, now: dt.datetime) -> Ruling:
    return _new_ruling(
        session,
        case,
        now,
        outcome=rule.outcome,
        liable_party=rule.liable_party,
        amount_minor=rule.amount_minor,
        decided_by=DecidedBy.PLATFORM,
        reasons=[reason("platform_decision", note=rule.note)],
        clause_ids=list(rule.clause_ids),
        versions={"deadline_policy": case.policy_version},
        inputs={"facts": _facts_json(session, case)},
    )


def rulings_of(session: Session, scope: Scope, case_id: int) -> list[Ruling]:
    case = get_case(session, scope, case_id)
    query = select(Ruling).where(Ruling.case_id == case.id).order_by(Ruling.sequence)
    return list(session.scalars(query))


AUTO_DEADLINE_STATES = tuple(_DEADLINE_REASON)


def sweep_deadlines(
    session: Session,
    now: dt.datetime | None = None,
    limit: int = 500,
    tenant_id: int | None = None,
) -> int:
    """Move every case whose deadline has passed; returns how many moved.

    Rows are locked with SKIP LOCKED where the database has it, so several workers can sweep
    at once without moving a case twice.
    """
    now = now or utcnow()
    query = (
        select(Case)
        .where(Case.state.in_(AUTO_DEADLINE_STATES), Case.deadline_at <= now)
        .order_by(Case.deadline_at, Case.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if tenant_id is not None:
        query = query.where(Case.tenant_id == tenant_id)
    moved = 0
    for case in session.scalars(query):
        deadline = case.deadline_at or now
        scope = Scope.system(case.tenant_id)
        _apply(session, scope, case, Action.DEADLINE, None, Party.SYSTEM, deadline)
        moved += 1
    return moved


# Reads for other modules' batch work (integrity). The caller has checked the scope; these
# take the tenant id and return plain values, never ORM objects.

CaseRow = tuple[int, int, int, str, int, int, bool]
CASE_FRAME: dict[str, pl.DataType] = {
    "case_id": pl.Int64(),
    "buyer_id": pl.Int64(),
    "order_id": pl.Int64(),
    "kind": pl.String(),
    "claimed_minor": pl.Int64(),
    "opened_s": pl.Int64(),
    "forgery": pl.Boolean(),
}
RULING_FRAME: dict[str, pl.DataType] = {
    "case_id": pl.Int64(),
    "sequence": pl.Int64(),
    "liable_party": pl.String(),
    "ruled_s": pl.Int64(),
}


def _case_query(session: Session, tenant: ColumnElement[bool]) -> Select[CaseRow]:
    return select(
        Case.id, Case.buyer_id, Case.order_id, type_coerce(Case.kind, String()),
        Case.claimed_amount_minor, epoch_seconds(Case.opened_at, dialect_of(session)),
        Case.forgery_suspected,
    ).where(tenant)  # fmt: skip


def _ruling_query(
    session: Session, tenant: ColumnElement[bool]
) -> Select[tuple[int, int, str, int]]:
    liable = type_coerce(Ruling.liable_party, String())
    ruled_s = epoch_seconds(Ruling.created_at, dialect_of(session))
    return select(Ruling.case_id, Ruling.sequence, liable, ruled_s).where(tenant)


def case_frame_query(session: Session, tenant_id: int) -> FrameQuery:
    """Every case of the tenant: ``CASE_FRAME`` columns (kind as its value, opened time in
    epoch seconds, ``forgery``: a forgery is suspected)."""
    tenant = whole_tenant(session, Case.tenant_id, tenant_id)
    return FrameQuery(_case_query(session, tenant), CASE_FRAME)


def ruling_frame_query(session: Session, tenant_id: int) -> FrameQuery:
    """Every ruling of the tenant, superseded ones too: ``RULING_FRAME`` columns."""
    tenant = whole_tenant(session, Ruling.tenant_id, tenant_id)
    return FrameQuery(_ruling_query(session, tenant), RULING_FRAME)


def case_rows(session: Session, tenant_id: int, buyer_id: int) -> Sequence[Row[CaseRow]]:
    """One buyer's ``case_frame_query`` rows as tuples, in the session's transaction."""
    query = _case_query(session, Case.tenant_id == tenant_id).where(Case.buyer_id == buyer_id)
    return session.connection().execute(query).all()


def ruling_rows(
    session: Session, tenant_id: int, case_ids: Collection[int]
) -> Sequence[Row[tuple[int, int, str, int]]]:
    """The ``ruling_frame_query`` rows of ``case_ids`` as tuples, in the session's transaction."""
    tenant = Ruling.tenant_id == tenant_id
    query = _ruling_query(session, tenant).where(Ruling.case_id.in_(case_ids))
    return session.connection().execute(query).all()
