"""Routes of the returns module under /v1/returns."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from tradeshield.evidence import service as evidence
from tradeshield.http.deps import (
    CallerScope,
    DbSession,
    IdempotencyKey,
    scope_of_request,
    sessions_of,
)
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.returns import service
from tradeshield.returns.chain import ChainReport
from tradeshield.returns.policy import load_policy
from tradeshield.returns.purchase_policy import PurchaseAnswer
from tradeshield.returns.schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    ChainHeadOut,
    ChainReportOut,
    ChainVerifyIn,
    ConfirmOut,
    ConsortiumEntryOut,
    ConsortiumHitOut,
    ConsortiumQueryIn,
    CourierClaimOut,
    LabelReadingOut,
    PhotoStoredOut,
    PublishIn,
    PurchaseAnswerOut,
    PurchaseCheckIn,
    RestrictionOut,
    UnitEvidenceIn,
    UnitEvidenceOut,
    VerificationOut,
    VerifyIn,
)

router = APIRouter(prefix="/returns", tags=["returns"])
_CHUNK = 1 << 20


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    while chunk := upload.file.read(_CHUNK):
        yield chunk


@router.post("/photos", status_code=201, response_model=PhotoStoredOut)
def upload_photo(file: Annotated[UploadFile, File()], scope: CallerScope) -> PhotoStoredOut:
    """Store a unit photo or packing video by content; reference it by sha256 afterwards."""
    scope.require_write()
    received = evidence.receive_file(service.default_store(), _chunks(file))
    return PhotoStoredOut.model_validate(received)


@router.post("/label-reading", response_model=LabelReadingOut)
def read_label(file: Annotated[UploadFile, File()], scope: CallerScope) -> LabelReadingOut:
    """Store a label photo and read its serial or IMEI offline; 422 when nothing is legible."""
    scope.require_write()
    store = service.default_store()
    received = evidence.receive_file(store, _chunks(file))
    reading = service.read_label(store.open_bytes(received.sha256))
    return LabelReadingOut(
        sha256=received.sha256,
        serial=reading.serial,
        serial_format=reading.serial_format,
        confidence=reading.confidence,
        text=reading.text,
    )


@router.post("/units", status_code=201, response_model=UnitEvidenceOut)
def record_unit(
    body: UnitEvidenceIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/returns/units", body),
        lambda: UnitEvidenceOut.model_validate(
            service.record_unit(session, scope, body, service.default_store())
        ),
    )


@router.get("/units", response_model=list[UnitEvidenceOut])
def list_units(order_id: int, session: DbSession, scope: CallerScope) -> list[UnitEvidenceOut]:
    return [
        UnitEvidenceOut.model_validate(u) for u in service.units_of_order(session, scope, order_id)
    ]


@router.post("/verifications", status_code=201, response_model=VerificationOut)
def verify_return(
    body: VerifyIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/returns/verifications", body),
        lambda: VerificationOut.model_validate(
            service.verify_return(session, scope, body, service.default_store())
        ),
    )


@router.get("/verifications", response_model=list[VerificationOut])
def list_verifications(session: DbSession, scope: CallerScope) -> list[VerificationOut]:
    return [VerificationOut.model_validate(v) for v in service.verifications_of(session, scope)]


@router.get("/verifications/{verification_id}", response_model=VerificationOut)
def get_verification(
    verification_id: int, session: DbSession, scope: CallerScope
) -> VerificationOut:
    return VerificationOut.model_validate(service.get_verification(session, scope, verification_id))


@router.post("/verifications/{verification_id}/confirm", response_model=ConfirmOut)
def confirm(
    verification_id: int, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    """Confirm the result; a buyer-liable mismatch then restricts the buyer's purchases."""

    def produce() -> ConfirmOut:
        restriction = service.confirm(session, scope, verification_id)
        found = service.get_verification(session, scope, verification_id)
        return ConfirmOut(
            verification=VerificationOut.model_validate(found),
            restriction=None if restriction is None else RestrictionOut.model_validate(restriction),
        )

    path = f"/returns/verifications/{verification_id}/confirm"
    return respond_once(session, scope, key, fingerprint(path, {}), produce, status_code=200)


@router.get("/verifications/{verification_id}/package")
def evidence_package(verification_id: int, session: DbSession, scope: CallerScope) -> Response:
    """The evidence package (zip: records, files, chain proof, HTML summary)."""
    data = service.package_bytes(session, scope, verification_id, service.default_store())
    name = f"return-verification-{verification_id}.zip"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="application/zip", headers=headers)


@router.get("/claims", response_model=list[CourierClaimOut])
def list_claims(session: DbSession, scope: CallerScope) -> list[CourierClaimOut]:
    return [CourierClaimOut.model_validate(c) for c in service.claims_of(session, scope)]


def _chain_report(report: ChainReport) -> ChainReportOut:
    broken = report.broken
    return ChainReportOut.model_validate(
        {"links": report.links, "head": report.head, "intact": report.intact,
         "broken": None if broken is None else {"seq": broken.seq, "problem": broken.problem}}
    )  # fmt: skip


@router.get("/chain/verify", response_model=ChainReportOut)
def verify_chain(session: DbSession, scope: CallerScope) -> ChainReportOut:
    """Walk this tenant's evidence chain and name the first broken link, if any."""
    scope.require_operator()
    return _chain_report(service.verify_chain(session, scope.tenant_id, service.default_store()))


@router.post("/chain/verify", response_model=ChainReportOut)
def verify_chain_against_heads(
    body: ChainVerifyIn, session: DbSession, scope: CallerScope
) -> ChainReportOut:
    """The same walk, and every head published earlier (``anchors``) must still match: this
    catches a rewrite of the whole chain after those heads were kept. Changes nothing."""
    scope.require_operator()
    anchors = [service.Anchor(a.seq, a.entry_hash) for a in body.anchors]
    report = service.verify_chain(session, scope.tenant_id, service.default_store(), anchors)
    return _chain_report(report)


@router.post("/chain/head", response_model=ChainHeadOut)
def publish_chain_head(session: DbSession, scope: CallerScope) -> ChainHeadOut:
    """The chain's current head, to keep outside TradeShield; noted in the audit log. Asking
    again is harmless (no Idempotency-Key needed): it only reports."""
    published = service.publish_head(session, scope)
    session.commit()
    return ChainHeadOut.model_validate(published)


def _answer(answer: PurchaseAnswer) -> dict[str, Any]:
    """``PurchaseAnswerOut`` as plain JSON values, built from values already checked."""
    return {
        "decision": answer.decision.value,
        "limits": answer.limits.as_dict(),
        "reasons": answer.reasons,
        "restriction_ids": answer.restriction_ids,
        "policy_version": load_policy().version,
    }


@router.get("/purchase-policy", response_model=PurchaseAnswerOut)
async def purchase_policy_get(
    request: Request,
    product_id: Annotated[int, Query(gt=0)],
    buyer_id: Annotated[int | None, Query(gt=0)] = None,
    buyer_external_ref: Annotated[str | None, Query(max_length=100)] = None,
    quantity: Annotated[int, Query(ge=1, le=10_000)] = 1,
    integrity_tier: Annotated[str | None, Query(max_length=30)] = None,
) -> JSONResponse:
    """Checkout-time answer: allowed, limited (which limits) or blocked, with reasons.

    Async on purpose: a handful of indexed lookups take well under a millisecond, less than
    the hand-offs to the thread pool that sync dependencies would cost at checkout rates."""
    check_in = PurchaseCheckIn(
        buyer_id=buyer_id, buyer_external_ref=buyer_external_ref, product_id=product_id,
        quantity=quantity, integrity_tier=integrity_tier,
    )  # fmt: skip
    scope = scope_of_request(request)
    with sessions_of(request)() as session:
        answer = _answer(service.check_purchase(session, scope, check_in))
    # plain values the service built: answering them directly skips a validation round
    return JSONResponse(answer)


@router.post("/purchase-policy", response_model=PurchaseAnswerOut)
def purchase_policy_post(
    body: PurchaseCheckIn, session: DbSession, scope: CallerScope
) -> PurchaseAnswerOut:
    """The same answer for a JSON body; it changes nothing, so it needs no Idempotency-Key."""
    return PurchaseAnswerOut.model_validate(_answer(service.check_purchase(session, scope, body)))


@router.get("/restrictions", response_model=list[RestrictionOut])
def list_restrictions(session: DbSession, scope: CallerScope) -> list[RestrictionOut]:
    return [RestrictionOut.model_validate(r) for r in service.restrictions_of(session, scope)]


@router.post("/appeals", status_code=201, response_model=AppealOut)
def file_appeal(
    body: AppealIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session, scope, key, fingerprint("/returns/appeals", body),
        lambda: AppealOut.model_validate(service.file_appeal(session, scope, body)),
    )  # fmt: skip


@router.get("/appeals", response_model=list[AppealOut])
def list_appeals(session: DbSession, scope: CallerScope) -> list[AppealOut]:
    return [AppealOut.model_validate(a) for a in service.appeals_of(session, scope)]


@router.post("/appeals/{appeal_id}/decision", response_model=AppealOut)
def decide_appeal(
    appeal_id: int, body: AppealDecisionIn, session: DbSession, scope: CallerScope,
    key: IdempotencyKey,
) -> JSONResponse:  # fmt: skip
    return respond_once(
        session, scope, key, fingerprint(f"/returns/appeals/{appeal_id}/decision", body),
        lambda: AppealOut.model_validate(service.decide_appeal(session, scope, appeal_id, body)),
        status_code=200,
    )  # fmt: skip


@router.post("/consortium/entries", status_code=201, response_model=ConsortiumEntryOut)
def publish(
    body: PublishIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    """Share a confirmed abusive account; identifiers are hashed with the consortium key."""
    return respond_once(
        session, scope, key, fingerprint("/returns/consortium/entries", body),
        lambda: ConsortiumEntryOut.model_validate(
            service.publish(session, scope, body, service.default_store())
        ),
    )  # fmt: skip


@router.get("/consortium/entries", response_model=list[ConsortiumEntryOut])
def list_entries(session: DbSession, scope: CallerScope) -> list[ConsortiumEntryOut]:
    return [ConsortiumEntryOut.model_validate(e) for e in service.entries_of(session, scope)]


@router.post("/consortium/query", response_model=list[ConsortiumHitOut])
def query_consortium(
    body: ConsortiumQueryIn, session: DbSession, scope: CallerScope
) -> list[ConsortiumHitOut]:
    """Look up one buyer's identifiers; rate-limited per key and audited."""
    hits: service.ConsortiumHits = service.query(session, scope, body)
    session.commit()  # the spent token and the audit entry are kept
    return [
        ConsortiumHitOut(
            entry_id=entry.id, reason_codes=entry.reason_codes,
            evidence_package_sha256=entry.evidence_package_sha256,
            publisher_tenant_id=entry.publisher_tenant_id, expires_at=entry.expires_at,
            matched_kinds=sorted(set(kinds)),
        )
        for entry, kinds in hits
    ]  # fmt: skip
