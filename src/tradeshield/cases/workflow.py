"""One step of a case as every shell takes it: the API, the CLI and the console.

``cases.service.act`` moves the state machine; a step also has consequences in other
modules that the shells must not each remember: a forgery report starts the forensic
analysis of the photos as a job, and a case that has just gone to review (escalation,
forgery report, disputed return, appeal) is ruled by the packs at once. Appeals may bring
new evidence, stored here before the appeal names it. Nothing is committed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tradeshield.cases import service as cases
from tradeshield.cases.kinds import Party
from tradeshield.cases.models import Case
from tradeshield.cases.schemas import AppealIn, CaseActionIn, MerchantReportForgery
from tradeshield.errors import Invalid
from tradeshield.evidence import service as evidence
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.evidence.schemas import TextEvidenceIn
from tradeshield.jobs import service as jobs
from tradeshield.pagination import PageRequest
from tradeshield.rules import service as rules
from tradeshield.tenancy.scope import Scope

MAX_PHOTOS_ANALYSED = 50


@dataclass(frozen=True, slots=True)
class NewEvidence:
    """What an appeal brings along: a statement and/or a file already in the blob store."""

    text: str = ""
    received: evidence.ReceivedFile | None = None
    filename: str | None = None


def take_action(session: Session, scope: Scope, case_id: int, action_in: CaseActionIn) -> Case:
    """Perform the action, then what follows from it (forensics job, ruling by the packs)."""
    case = cases.act(session, scope, case_id, action_in)
    if isinstance(action_in, MerchantReportForgery):
        _schedule_forensics(session, scope, case.id, list(action_in.evidence_ids))
    # Escalations, forgery reports, disputed returns and appeals are ruled by the packs
    # at once; an `escalate` ruling leaves the case under review for a person.
    rules.rule_if_under_review(session, scope, case.id)
    return case


def appeal_with_evidence(
    session: Session, scope: Scope, case_id: int, appeal_in: AppealIn, brought: NewEvidence
) -> Case:
    """Store the appeal's new evidence on the case, then appeal naming it."""
    added = list(appeal_in.evidence_ids)
    if brought.text.strip():
        text_in = TextEvidenceIn(
            case_id=case_id, kind=EvidenceKind.TEXT, submitted_by=appeal_in.party,
            text=brought.text.strip(),
        )  # fmt: skip
        added.append(evidence.add_text(session, scope, text_in).id)
    if brought.received is not None:
        kind = _file_kind(brought.received)
        item = evidence.add_file(
            session, scope, case_id, kind, Party(appeal_in.party), brought.received,
            brought.filename,
        )  # fmt: skip
        added.append(item.id)
    # Validated again, so the evidence added keeps within the appeal's own limits.
    with_evidence = AppealIn.model_validate({**appeal_in.model_dump(), "evidence_ids": added})
    return take_action(session, scope, case_id, with_evidence)


def _file_kind(received: evidence.ReceivedFile) -> EvidenceKind:
    media = received.media_type or ""
    if media.startswith("video/"):
        return EvidenceKind.VIDEO
    if media.startswith("image/"):
        return EvidenceKind.PHOTO
    raise Invalid("the file is neither a photo nor a video", field="file")


def _schedule_forensics(
    session: Session, scope: Scope, case_id: int, evidence_ids: list[int]
) -> None:
    """The photos named (or every photo of the case) are analysed by a job after commit."""
    if not evidence_ids:
        photos = evidence.list_items(
            session, scope, PageRequest(limit=MAX_PHOTOS_ANALYSED), case_id, EvidenceKind.PHOTO
        )
        evidence_ids = [item.id for item in photos.items]
    for evidence_id in evidence_ids:
        item = evidence.get_item(session, scope, evidence_id)
        if item.case_id != case_id or item.kind is not EvidenceKind.PHOTO:
            raise Invalid(
                f"evidence {evidence_id} is not a photo of case {case_id}", field="evidence_ids"
            )
    if evidence_ids:
        payload = {"evidence_ids": evidence_ids, "actor": scope.actor, "case_id": case_id}
        jobs.schedule(session, scope.tenant_id, "forensics.analyze_evidence", payload)
