"""Every visible console string goes through the catalogue and has a Chinese translation."""

from __future__ import annotations

import ast
import enum
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tradeshield.console import labels
from tradeshield.console.rendering import TEMPLATES_DIR
from tradeshield.i18n.catalog import LOCALES_DIR, Locale, messages

CONSOLE_DIR = TEMPLATES_DIR.parent
TEMPLATES = sorted(TEMPLATES_DIR.glob("*.html"))
# _("...") or _('...') in a template, not _.label(...) and not foo_("...").
TEMPLATE_CALL = re.compile(r"""(?<![\w.])_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
# Text a person reads that is written in the markup itself.
VISIBLE_ATTRIBUTES = re.compile(r"""\b(?:title|alt|placeholder|aria-label)="([^"]*)\"""")


def _template_msgids() -> set[str]:
    found: set[str] = set()
    for template in TEMPLATES:
        for match in TEMPLATE_CALL.finditer(template.read_text(encoding="utf-8")):
            found.add(match.group(1) if match.group(1) is not None else match.group(2))
    return found


def _python_msgids() -> set[str]:
    """Ids marked in console code: N_("...") and calls of a translator, self("...")."""
    found: set[str] = set()
    for source in CONSOLE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            first = node.args[0]
            if name in ("N_", "_") and isinstance(first, ast.Constant):
                found.add(str(first.value))
    return found


ALL_MSGIDS = sorted(_template_msgids() | _python_msgids())


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_the_extraction_finds_the_console_strings() -> None:
    assert len(ALL_MSGIDS) > 200
    assert "Dashboard" in ALL_MSGIDS  # from navigation.py
    assert "Sign in" in ALL_MSGIDS  # from a template
    assert "{hours} h" in ALL_MSGIDS  # from language.py


@pytest.mark.parametrize("msgid", ALL_MSGIDS)
def test_every_console_string_has_a_chinese_translation_with_the_same_placeholders(
    msgid: str,
) -> None:
    chinese = messages(Locale.ZH, "console").get(msgid, "")
    assert chinese.strip(), f"no Chinese for {msgid!r} in zh/LC_MESSAGES/console.po"
    assert _placeholders(chinese) == _placeholders(msgid)


def _catalogue_ids(locale: Locale) -> set[str]:
    path = LOCALES_DIR / locale.value / "LC_MESSAGES" / "console.po"
    with path.open("rb") as handle:
        return {str(message.id) for message in read_po(handle) if message.id}


@pytest.mark.parametrize("locale", list(Locale), ids=str)
def test_catalogues_list_exactly_the_strings_the_console_uses(locale: Locale) -> None:
    listed = _catalogue_ids(locale)
    assert not listed - set(ALL_MSGIDS), "no longer used; remove from the catalogue"
    assert not set(ALL_MSGIDS) - listed, "missing; add to the catalogue"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_write_no_visible_text_outside_the_catalogue(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    markup = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", "", source, flags=re.DOTALL)
    for value in VISIBLE_ATTRIBUTES.findall(markup):
        assert not re.search(r"\w", value), f"{template.name}: attribute text {value!r}"
    text = re.sub(r"<[^>]*>", " ", markup)
    words = [w for w in re.findall(r"\w+", text) if not w.isdigit()]
    assert not words, f"{template.name} has untranslated text: {words}"


@pytest.mark.parametrize(
    "enum_class", sorted(labels.ENUM_LABELS, key=lambda c: c.__name__), ids=lambda c: c.__name__
)
def test_every_value_of_a_labelled_enum_has_a_label(enum_class: type[enum.StrEnum]) -> None:
    assert set(labels.ENUM_LABELS[enum_class]) == {member.value for member in enum_class}
