"""Purchase limits and the shared risk list in the console: ask the checkout policy, appeal a
restriction or an entry and decide appeals, publish a confirmed abusive account, query the
list for one buyer (rate-limited and audited like the API).

Forms post here and go through the returns service; a refused form shows the service's
reason on the same page with its status code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Form, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.navigation import PREFIX
from tradeshield.console.rendering import render
from tradeshield.console.routing import console_router
from tradeshield.errors import DomainError, Invalid
from tradeshield.returns import service as returns
from tradeshield.returns.kinds import AppealSubject
from tradeshield.returns.schemas import (
    AppealDecisionIn,
    AppealIn,
    ClearIdentifier,
    ConsortiumQueryIn,
    PublishIn,
    PurchaseCheckIn,
)
from tradeshield.tenancy.scope import Scope

router = console_router()
Id = Annotated[int, Path(gt=0)]
PAGE = "returns_policy.html"


def _context(session: Session, scope: Scope, **shown: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "answer": None, "buyer_id": None, "product_id": None, "hits": None, "error": None,
        "identifier_kinds": list(IdentifierKind),
    }  # fmt: skip
    values.update(shown)
    values["restrictions"] = returns.restrictions_of(session, scope)
    values["appeals"] = returns.appeals_of(session, scope)
    values["entries"] = returns.entries_of(session, scope)
    return values


def _refused(request: Request, session: Session, scope: Scope, exc: DomainError) -> Response:
    session.rollback()
    context = _context(session, scope, error=exc.detail)
    return render(request, PAGE, context, status_code=exc.status)


def _done_or_refused(
    request: Request, session: Session, scope: Scope, change: Callable[[], object]
) -> Response:
    """Run one change of a form: committed and back to the page, or refused with its reason."""
    try:
        change()
    except ValidationError as exc:  # a form field the API schema refuses
        return _refused(request, session, scope, Invalid.first_of(exc))
    except DomainError as exc:
        return _refused(request, session, scope, exc)
    session.commit()
    return RedirectResponse(f"{PREFIX}/returns/policy", status_code=303)


@router.get("/returns/policy")
def policy_page(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    buyer_id: Annotated[int | None, Query(gt=0)] = None,
    product_id: Annotated[int | None, Query(gt=0)] = None,
) -> Response:
    answer = None
    if buyer_id and product_id:
        check_in = PurchaseCheckIn(buyer_id=buyer_id, product_id=product_id)
        try:
            answer = returns.check_purchase(session, scope, check_in)
        except DomainError as exc:
            return _refused(request, session, scope, exc)
    context = _context(session, scope, answer=answer, buyer_id=buyer_id, product_id=product_id)
    return render(request, PAGE, context)


@router.post("/returns/appeals")
def file_appeal(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    subject: Annotated[AppealSubject, Form()],
    subject_id: Annotated[int, Form(gt=0)],
    statement: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The buyer's (or its merchant's) appeal against a restriction or a shared entry."""
    return _done_or_refused(request, session, scope, lambda: returns.file_appeal(
        session, scope, AppealIn(subject=subject, subject_id=subject_id, statement=statement)
    ))  # fmt: skip


@router.post("/returns/appeals/{appeal_id}")
def decide(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    appeal_id: Id,
    upheld: Annotated[bool, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    decision = AppealDecisionIn(upheld=upheld, note=note)
    return _done_or_refused(
        request, session, scope, lambda: returns.decide_appeal(session, scope, appeal_id, decision)
    )


@router.post("/returns/consortium/entries")
def publish(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    case_id: Annotated[int, Form(gt=0)],
    identifier_kind: Annotated[IdentifierKind, Form()],
    identifier_value: Annotated[str, Form(max_length=500)],
    reason_codes: Annotated[str, Form(max_length=500)],
) -> Response:
    """Share a confirmed abusive account: needs the case's confirmed, buyer-liable return
    check; the identifier leaves only as a keyed hash."""

    def share() -> object:
        publish_in = PublishIn(
            case_id=case_id,
            identifiers=[ClearIdentifier(kind=identifier_kind, value=identifier_value)],
            reason_codes=[c.strip() for c in reason_codes.split(",") if c.strip()],
        )
        return returns.publish(session, scope, publish_in, returns.default_store())

    return _done_or_refused(request, session, scope, share)


@router.post("/returns/consortium/query")
def query(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    identifier_kind: Annotated[IdentifierKind, Form()],
    identifier_value: Annotated[str, Form(max_length=500)],
) -> Response:
    """Look one buyer up in the shared list; the spent token and the audit entry are kept
    whatever the answer."""
    try:
        query_in = ConsortiumQueryIn(
            identifiers=[ClearIdentifier(kind=identifier_kind, value=identifier_value)]
        )
        hits = returns.query(session, scope, query_in)
    except ValidationError as exc:
        return _refused(request, session, scope, Invalid.first_of(exc))
    except DomainError as exc:
        return _refused(request, session, scope, exc)
    session.commit()
    shown = [{"entry": entry, "kinds": sorted(set(kinds))} for entry, kinds in hits]
    return render(request, PAGE, _context(session, scope, hits=shown))
