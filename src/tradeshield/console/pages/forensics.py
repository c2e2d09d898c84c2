"""Forensics: the evidence received, each photo's forgery check, and checking an upload.

The pages show what forensics.service decided; they decide nothing. Photos and heat maps are
served through console routes that check the signed-in key like every page, because the
API's image routes want an API key header that a browser <img> cannot send.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Path, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.labels import N_
from tradeshield.console.navigation import PREFIX
from tradeshield.console.pages import forensics_views as views
from tradeshield.console.pages.forensics_check import (
    MAX_UPLOAD_REFERENCES,
    UploadRefused,
    check_context,
    read_uploads,
)
from tradeshield.console.rendering import page_link, render
from tradeshield.console.routing import console_router
from tradeshield.errors import NotFound
from tradeshield.evidence import service as evidence
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.forensics import service as forensics
from tradeshield.pagination import PageRequest
from tradeshield.tenancy.kinds import Role

router = console_router()

PAGE_SIZE = 25
EvidenceId = Annotated[int, Path(gt=0)]
# An image answer is never a page: it runs nothing and cannot be framed or sniffed into one.
_IMAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
}


@router.get("/forensics")
def evidence_list(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    kind: EvidenceKind | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    found = evidence.list_items(session, scope, PageRequest(cursor, PAGE_SIZE), kind=kind)
    context = {
        "items": found.items,
        "latest": views.latest_reports(session, scope, found.items),
        "next_url": page_link(request, found.next_cursor),
        "kinds": list(EvidenceKind),
        "chosen_kind": kind,
        "max_references": MAX_UPLOAD_REFERENCES,
    }
    return render(request, "forensics.html", context)


@router.post("/forensics/check")
def check_upload(
    request: Request,
    scope: SignedIn,
    photo: Annotated[UploadFile, File()],
    references: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Check an uploaded photo against optional listing photos; nothing is stored."""
    # ``scope`` only requires a sign-in: the check reads no tenant data, so any role may run it.
    try:
        context = check_context(*read_uploads(photo, references or []))
    except UploadRefused as refused:
        context = {"report": None, "error_msgid": refused.msgid}
        status = refused.status
    else:
        context["error_msgid"] = None
        status = 200
    context["max_references"] = MAX_UPLOAD_REFERENCES
    return render(request, "forensics_check.html", context, status_code=status)


@router.get("/forensics/{evidence_id}")
def evidence_page(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    evidence_id: EvidenceId,
    report_id: Annotated[int | None, Query(alias="report", gt=0)] = None,
) -> Response:
    """One item with its newest report (or the one asked for) and the older ones listed."""
    item = evidence.get_item(session, scope, evidence_id)
    records = forensics.reports_for_evidence(session, scope, item.id)
    shown = records[0] if records else None
    if report_id is not None:
        shown = next((r for r in records if r.id == report_id), None)
        if shown is None:
            raise NotFound(f"evidence {item.id} has no report {report_id}")
    report = views.stored_report_view(shown, item) if shown else None
    context = {
        "item": item,
        "is_photo": item.kind is EvidenceKind.PHOTO and item.sha256 is not None,
        "photo_src": views.photo_url(item.id)
        if item.media_type in views.BROWSER_IMAGE_TYPES
        else None,
        "report": report,
        "shown": views.summary(shown) if shown else None,
        "references": views.stored_references(shown, report) if shown and report else [],
        "reports": [views.summary(r) for r in records],
        "can_run": scope.role is not Role.READ_ONLY,
    }
    return render(request, "forensics_evidence.html", context)


@router.get("/forensics/{evidence_id}/photo")
def evidence_photo(session: DbSession, scope: SignedIn, evidence_id: EvidenceId) -> Response:
    item, content = evidence.read_content(
        session, scope, evidence.default_blob_store(), evidence_id
    )
    if item.kind is not EvidenceKind.PHOTO or item.media_type not in views.BROWSER_IMAGE_TYPES:
        raise NotFound(f"evidence {evidence_id} is not a photo a browser can show")
    return Response(content, media_type=item.media_type, headers=_IMAGE_HEADERS)


@router.get("/forensics/reports/{report_id}/heatmap.png")
def report_heatmap(
    session: DbSession, scope: SignedIn, report_id: Annotated[int, Path(gt=0)]
) -> Response:
    record = forensics.get_report(session, scope, report_id)
    if record.heatmap_sha256 is None:
        raise NotFound(f"report {report_id} has no heat map")
    content = evidence.default_blob_store().open_bytes(record.heatmap_sha256)
    return Response(content, media_type="image/png", headers=_IMAGE_HEADERS)


@router.post("/forensics/{evidence_id}/check")
def run_check(
    request: Request, session: DbSession, scope: SignedIn, evidence_id: EvidenceId
) -> Response:
    """Check a stored photo now and keep the report; the page then shows it."""
    # forensics.service stores a report for any key that can see the photo; a read-only
    # key may look, so the console refuses it here, with its own words.
    if scope.role is Role.READ_ONLY:
        context = {
            "title_msgid": N_("Read-only key"),
            "message_msgid": N_(
                "This key may look but not change anything, so it cannot run a check."
            ),
            "status": 403,
        }
        return render(request, "error.html", context, status_code=403)
    forensics.analyze_evidence(session, scope, evidence.default_blob_store(), evidence_id)
    session.commit()
    return RedirectResponse(f"{PREFIX}/forensics/{evidence_id}", status_code=303)
