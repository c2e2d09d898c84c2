"""Kinds of evidence."""

from __future__ import annotations

import enum


class EvidenceKind(enum.StrEnum):
    PHOTO = "photo"
    VIDEO = "video"
    TEXT = "text"
    CODE_READING = "code_reading"
