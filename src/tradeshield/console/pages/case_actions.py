"""The case page's forms: one step of the case, or a ruling by the rule packs.

Each form goes through the same workflow as ``POST /v1/cases/{id}/actions`` and
``/adjudicate``; the request commits once, then the browser is sent back to the case page
(post, redirect, get). A refusal rolls back and shows the case page again with the reason.
Cross-site posts are refused by the sign-in cookie itself (SameSite=Strict: another site
cannot make the browser send it) and, for browsers that say where a form came from, by
``access.same_site_form``, which ``routing.ConsoleRoute`` runs for every console form.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import File, Form, Path, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from tradeshield.cases import service as cases
from tradeshield.cases import workflow
from tradeshield.cases.action_input import ActionFields, action_input
from tradeshield.cases.lifecycle import Action
from tradeshield.cases.schemas import AppealIn
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.navigation import PREFIX
from tradeshield.console.pages.case_forms import Problem
from tradeshield.console.pages.cases import ADJUDICATED, case_page
from tradeshield.console.routing import console_router
from tradeshield.errors import DomainError
from tradeshield.evidence import service as evidence
from tradeshield.rules import service as rules
from tradeshield.tenancy.scope import Scope

router = console_router()
CaseId = Annotated[int, Path(gt=0)]
Text = Annotated[str, Form(max_length=5000)]
Short = Annotated[str, Form(max_length=80)]
_CHUNK = 1 << 20


def _back_to_case(case_id: int, done: str) -> Response:
    return RedirectResponse(f"{PREFIX}/cases/{case_id}?done={done}", status_code=303)


def _refused(
    request: Request, session: Session, scope: Scope, case_id: int, exc: DomainError
) -> Response:
    session.rollback()
    return case_page(request, session, scope, case_id, Problem(exc.status, exc.detail))


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    while chunk := upload.file.read(_CHUNK):
        yield chunk


def _new_evidence(statement: str, upload: UploadFile | None) -> workflow.NewEvidence:
    """What an appeal brings: a browser sends an empty file input as a nameless empty part."""
    received = None
    if upload is not None and (upload.filename or upload.size):
        received = evidence.receive_file(evidence.default_blob_store(), _chunks(upload))
    filename = upload.filename if upload is not None else None
    return workflow.NewEvidence(text=statement, received=received, filename=filename)


@router.post("/cases/{case_id}/actions")
def act(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    case_id: CaseId,
    action: Annotated[Action, Form()],
    text: Text = "",
    amount: Short = "",
    party: Short = "",
    evidence_ids: Annotated[list[int] | None, Form()] = None,
    carrier: Short = "",
    tracking_number: Short = "",
    outcome: Short = "",
    liable_party: Short = "",
    new_evidence_text: Text = "",
    new_evidence_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """One step of the case, as the signed-in key; an appeal may bring new evidence."""
    given = ActionFields(
        text=text, amount=amount, party=party, evidence_ids=evidence_ids or [], carrier=carrier,
        tracking_number=tracking_number, outcome=outcome, liable_party=liable_party,
    )  # fmt: skip
    try:
        scope.require_write()
        case = cases.get_case(session, scope, case_id)
        action_in = action_input(action, given, case.currency)
        if isinstance(action_in, AppealIn):
            brought = _new_evidence(new_evidence_text, new_evidence_file)
            workflow.appeal_with_evidence(session, scope, case_id, action_in, brought)
        else:
            workflow.take_action(session, scope, case_id, action_in)
    except DomainError as exc:
        return _refused(request, session, scope, case_id, exc)
    session.commit()
    return _back_to_case(case_id, action.value)


@router.post("/cases/{case_id}/adjudicate")
def adjudicate(request: Request, session: DbSession, scope: SignedIn, case_id: CaseId) -> Response:
    """The rule packs rule the case and the ruling is stored (operators only)."""
    try:
        rules.rule_case(session, scope, case_id)
    except DomainError as exc:
        return _refused(request, session, scope, case_id, exc)
    session.commit()
    return _back_to_case(case_id, ADJUDICATED)
