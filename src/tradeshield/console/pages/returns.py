"""Return-mismatch trust in the console: unit evidence capture, return checks with shipped
and returned side by side, courier claims (purchase limits and the shared list: returns_sharing).

The return parcels list itself stays at /returns (parcels.py); these pages hang below it.
Forms post here and go through the returns service like the API does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Form, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.labels import N_
from tradeshield.console.navigation import PREFIX
from tradeshield.console.rendering import render
from tradeshield.console.routing import console_router
from tradeshield.errors import DomainError
from tradeshield.evidence import service as evidence
from tradeshield.returns import service as returns
from tradeshield.returns.kinds import CheckOutcome, PhotoAngle, UnitStage
from tradeshield.returns.schemas import (
    PhotoRef,
    UnitEvidenceIn,
    VerifyIn,
)
from tradeshield.tenancy.scope import Scope

router = console_router()
Id = Annotated[int, Path(gt=0)]

CHECK_NAMES = {
    "serial": N_("Serial / IMEI"),
    "anti_counterfeit_code": N_("Anti-counterfeit code"),
    "seal": N_("Seal"),
    "weight": N_("Weight (g)"),
    "photos": N_("Photos"),
    "accessories": N_("Accessories"),
    "damage": N_("Damage"),
}


def _redirect(path: str) -> Response:
    return RedirectResponse(f"{PREFIX}{path}", status_code=303)


@router.get("/returns/checks")
def checks_page(request: Request, session: DbSession, scope: SignedIn) -> Response:
    context = {"verifications": returns.verifications_of(session, scope, 50), "error": None}
    return render(request, "returns_checks.html", context)


@router.post("/returns/checks")
def run_check(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    order_id: Annotated[int, Form(gt=0)],
    return_shipment_id: Annotated[int | None, Form(gt=0)] = None,
) -> Response:
    verify_in = VerifyIn(order_id=order_id, return_shipment_id=return_shipment_id)
    try:
        found = returns.verify_return(session, scope, verify_in, returns.default_store())
    except DomainError as exc:
        session.rollback()
        context = {"verifications": returns.verifications_of(session, scope, 50),
                   "error": exc.detail}  # fmt: skip
        return render(request, "returns_checks.html", context, status_code=exc.status)
    session.commit()
    return _redirect(f"/returns/checks/{found.id}")


def _side_by_side(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Stored as JSON, so the outcome comes back as a string; the enum gives it a label.
    return [
        dict(c, label=CHECK_NAMES.get(c["name"], c["name"]), outcome=CheckOutcome(c["outcome"]))
        for c in checks
    ]


@router.get("/returns/checks/{verification_id}")
def check_page(
    request: Request, session: DbSession, scope: SignedIn, verification_id: Id
) -> Response:
    found = returns.get_verification(session, scope, verification_id)
    units = {u.id: u for u in returns.units_of_order(session, scope, found.order_id)}
    context = {
        "v": found,
        "checks": _side_by_side(found.checks),
        "shipped": units.get(found.shipped_evidence_id),
        "returned": units.get(found.returned_evidence_id),
    }
    return render(request, "returns_check.html", context)


@router.post("/returns/checks/{verification_id}/confirm")
def confirm_check(session: DbSession, scope: SignedIn, verification_id: Id) -> Response:
    returns.confirm(session, scope, verification_id)
    session.commit()
    return _redirect(f"/returns/checks/{verification_id}")


@router.get("/returns/checks/{verification_id}/package")
def package(session: DbSession, scope: SignedIn, verification_id: Id) -> Response:
    data = returns.package_bytes(session, scope, verification_id, returns.default_store())
    headers = {"Content-Disposition": f'attachment; filename="return-{verification_id}.zip"'}
    return Response(data, media_type="application/zip", headers=headers)


@router.get("/returns/units")
def units_page(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    order_id: Annotated[int | None, Query(gt=0)] = None,
) -> Response:
    return render(request, "returns_units.html", _units_context(session, scope, order_id, None))


# The capture form has one file input per angle, named ``photo_<angle>``.
_CHUNK = 1 << 20


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    while chunk := upload.file.read(_CHUNK):
        yield chunk


def _stored_photos(form: FormData) -> list[PhotoRef]:
    """Store each chosen photo by content, with the angle its input names (a browser sends
    an input left empty as a part with no file name and no bytes)."""
    store, refs = returns.default_store(), []
    for angle in PhotoAngle:
        upload = form.get(f"photo_{angle.value}")
        if isinstance(upload, UploadFile) and (upload.filename or upload.size):
            received = evidence.receive_file(store, _chunks(upload))
            refs.append(PhotoRef(angle=angle, sha256=received.sha256))
    return refs


def _units_context(
    session: Session, scope: Scope, order_id: int | None, error: str | None
) -> dict[str, Any]:
    units = returns.units_of_order(session, scope, order_id) if order_id else []
    return {"order_id": order_id, "units": units, "stages": list(UnitStage),
            "angles": list(PhotoAngle), "error": error}  # fmt: skip


def _capture(
    session: Session, scope: Scope, unit_fields: dict[str, Any], form: FormData
) -> DomainError | None:
    try:
        unit_in = UnitEvidenceIn(**unit_fields, photos=_stored_photos(form))
        returns.record_unit(session, scope, unit_in, returns.default_store())
    except DomainError as exc:
        session.rollback()
        return exc
    session.commit()
    return None


@router.post("/returns/units")
async def capture_unit(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    order_id: Annotated[int, Form(gt=0)],
    stage: Annotated[UnitStage, Form()],
    serial: Annotated[str, Form(max_length=40)] = "",
    anti_counterfeit_code: Annotated[str, Form(max_length=64)] = "",
    seal_id: Annotated[str, Form(max_length=64)] = "",
    weight: Annotated[str, Form(max_length=30)] = "",
    accessories: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """One unit's key evidence from the capture form, with photos by angle; a label photo
    is read for the serial when none is typed. The work (storing, OCR, the chain) runs in a
    worker thread: the form itself is read here, where the request can be awaited."""
    unit_fields = {
        "order_id": order_id, "stage": stage, "serial": serial or None,
        "anti_counterfeit_code": anti_counterfeit_code or None, "seal_id": seal_id or None,
        "weight": weight or None,
        "accessories": [a.strip() for a in accessories.split(",") if a.strip()],
    }  # fmt: skip
    form = await request.form()
    refused = await run_in_threadpool(_capture, session, scope, unit_fields, form)
    if refused is not None:
        context = await run_in_threadpool(_units_context, session, scope, order_id, refused.detail)
        return render(request, "returns_units.html", context, status_code=refused.status)
    return _redirect(f"/returns/units?order_id={order_id}")


@router.get("/returns/claims")
def claims_page(request: Request, session: DbSession, scope: SignedIn) -> Response:
    context = {"claims": returns.claims_of(session, scope)}
    return render(request, "returns_claims.html", context)
