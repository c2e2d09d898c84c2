"""Text for people, in Chinese and English, read from gettext catalogues (.po) via Babel.

Messages for the console use the English text as their id; reasons use a code id
(``reason.merchant_accepted``) whose English and Chinese texts both live in the catalogues.
"""

from __future__ import annotations

import enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"


class Locale(enum.StrEnum):
    ZH = "zh"
    EN = "en"


@lru_cache(maxsize=16)
def messages(locale: Locale, domain: str = "messages") -> dict[str, str]:
    """One catalogue: ``messages`` (reasons and API texts) or ``console`` (the web console)."""
    path = LOCALES_DIR / locale.value / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale.value)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string}


def translate(msgid: str, locale: Locale, domain: str = "messages", **params: Any) -> str:
    text = messages(locale, domain).get(msgid, msgid)
    return text.format(**params) if params else text


def reason(code: str, domain: str = "messages", **params: Any) -> dict[str, str]:
    """A reason as stored with a decision: its code and its text in both languages."""
    msgid = f"reason.{code}"
    return {
        "code": code,
        "zh": translate(msgid, Locale.ZH, domain, **params),
        "en": translate(msgid, Locale.EN, domain, **params),
    }
