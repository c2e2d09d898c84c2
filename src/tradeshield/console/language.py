"""Which language a console page is shown in, and the text functions its templates use.

The choice is the ``lang`` cookie when it names a language we have, else the first
language in Accept-Language that we have (any ``zh-*`` means Chinese), else English.
Every visible string goes through the ``console`` catalogue with its English text as id.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from babel.numbers import get_currency_precision
from fastapi import Request

from tradeshield.console.labels import AUDIT_ACTIONS, ENTITY_TYPES, ENUM_LABELS, N_
from tradeshield.i18n.catalog import Locale, translate

LANG_COOKIE = "lang"
DOMAIN = "console"


def _accepted(header: str) -> list[str]:
    """Language tags from Accept-Language, most preferred first."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(weighted)]


def locale_of(request: Request) -> Locale:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in (Locale.ZH.value, Locale.EN.value):
        return Locale(chosen)
    for tag in _accepted(request.headers.get("accept-language", "")):
        if tag == "zh" or tag.startswith("zh-"):
            return Locale.ZH
        if tag == "en" or tag.startswith("en-"):
            return Locale.EN
    return Locale.EN


@dataclass(frozen=True, slots=True)
class Texts:
    """The text functions for one locale, handed to the templates."""

    locale: Locale

    def __call__(self, msgid: str, **params: Any) -> str:
        return translate(msgid, self.locale, domain=DOMAIN, **params)

    @property
    def html_lang(self) -> str:
        return "zh-CN" if self.locale is Locale.ZH else "en"

    def label(self, member: enum.StrEnum) -> str:
        """A closed-set value for people; an unknown value is shown as stored."""
        msgid = ENUM_LABELS.get(type(member), {}).get(member.value)
        return self(msgid) if msgid else member.value

    def audit_action(self, action: str) -> str:
        msgid = AUDIT_ACTIONS.get(action)
        return self(msgid) if msgid else action

    def entity_type(self, entity_type: str) -> str:
        msgid = ENTITY_TYPES.get(entity_type)
        return self(msgid) if msgid else entity_type

    def reason(self, stored: dict[str, Any]) -> str:
        """A decision's reason in this language, as it was written when the decision was made."""
        text = stored.get(self.locale.value) or stored.get(Locale.EN.value) or stored.get("code")
        return str(text or "")

    def money(self, minor: int | None, currency: str) -> str:
        if minor is None:
            return "—"
        digits = get_currency_precision(currency)
        whole, fraction = divmod(abs(minor), 10**digits)
        sign = "-" if minor < 0 else ""
        amount = f"{whole:,}.{fraction:0{digits}d}" if digits else f"{whole:,}"
        return f"{sign}{currency} {amount}"

    def when(self, moment: dt.datetime | None, seconds: bool = False) -> str:
        if moment is None:
            return "—"
        shape = "%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC"
        return moment.astimezone(dt.UTC).strftime(shape)

    def day(self, moment: dt.datetime | None) -> str:
        return "—" if moment is None else moment.astimezone(dt.UTC).strftime("%Y-%m-%d")

    def duration(self, span: dt.timedelta) -> str:
        """A span rounded down to hours, or to days past two days."""
        hours = int(abs(span).total_seconds() // 3600)
        if hours >= 48:
            return self(N_("{days} days"), days=hours // 24)
        return self(N_("{hours} h"), hours=hours)
