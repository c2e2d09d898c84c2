"""Checking a photo that is not stored: the upload form's answer, built from the service's
report. Nothing is written: the photo, its heat map and the references go back to the page
inline as ``data:`` URIs (the console's policy allows ``img-src data:``), and are gone after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import UploadFile

from tradeshield.console.labels import N_
from tradeshield.console.pages import forensics_views as views
from tradeshield.errors import Invalid, TooLarge
from tradeshield.forensics import service as forensics
from tradeshield.settings import get_settings

# Fewer than the service takes: each one is sent back inline, so the page stays small.
MAX_UPLOAD_REFERENCES = 4


@dataclass(frozen=True, slots=True)
class UploadedPhoto:
    filename: str | None
    content: bytes


class UploadRefused(Exception):
    """An upload the check cannot take; ``msgid`` says why, for the form."""

    def __init__(self, msgid: str, status: int) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.status = status


def _read(upload: UploadFile) -> UploadedPhoto:
    limit = get_settings().max_upload_bytes
    content = upload.file.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(N_("A file is larger than the console accepts."), 413)
    return UploadedPhoto(upload.filename or None, content)


def read_uploads(
    photo: UploadFile, references: Sequence[UploadFile]
) -> tuple[UploadedPhoto, list[UploadedPhoto]]:
    """The photo and the references actually chosen (a browser sends an empty file input
    as a part with no name and no bytes)."""
    chosen = [r for r in references if r.filename or r.size]
    if len(chosen) > MAX_UPLOAD_REFERENCES:
        raise UploadRefused(N_("Send at most {count} reference photos."), 422)
    main = _read(photo)
    if not main.content:
        raise UploadRefused(N_("Choose a photo to check."), 422)
    return main, [_read(r) for r in chosen]


def _label(number: int) -> str:
    return f"reference {number}"


def check_context(photo: UploadedPhoto, references: Sequence[UploadedPhoto]) -> dict[str, Any]:
    """The report page's values for an unstored photo; refuses a file that is no photo."""
    pairs = [(_label(n), ref.content) for n, ref in enumerate(references, start=1)]
    try:
        report = forensics.inspect_photo(photo.content, pairs)
    except TooLarge as exc:
        raise UploadRefused(N_("A file is larger than the console accepts."), 413) from exc
    except Invalid as exc:
        raise UploadRefused(N_("A file could not be read as a photo."), 422) from exc
    photo_type = views.browser_media_type(photo.content)
    view = views.report_view(
        report.to_dict(),
        views.data_uri(photo.content, photo_type) if photo_type else None,
        views.data_uri(report.heatmap_png(), "image/png"),
    )
    shown = []
    for number, ref in enumerate(references, start=1):
        ref_type = views.browser_media_type(ref.content)
        shown.append(
            views.ReferenceView(
                label=_label(number),
                evidence_id=None,
                matched=_label(number) in view.matched_references,
                src=views.data_uri(ref.content, ref_type) if ref_type else None,
                filename=ref.filename,
            )
        )
    return {"report": view, "references": shown, "filename": photo.filename}
