"""A case action from flat fields, as a form or a command line gives them. Pure.

The API takes each action as its own JSON shape; a console form and ``tradeshield cases
act`` have one text box, one amount and a few choices instead. ``action_input`` puts each
value where that action's shape wants it (the text is the ``reason`` of a rejection and
the ``note`` of an acceptance), reads the amount in the case's currency, and validates the
result with the API's own schema, so all three shells accept exactly the same actions.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from tradeshield.cases.amounts import minor_units
from tradeshield.cases.lifecycle import Action
from tradeshield.cases.schemas import CaseActionIn
from tradeshield.errors import Invalid

_ADAPTER: TypeAdapter[CaseActionIn] = TypeAdapter(CaseActionIn)


def _shapes() -> dict[str, type[BaseModel]]:
    """Each action's schema, keyed by the ``Literal`` value of its ``action`` field."""
    union = typing.get_args(CaseActionIn)[0]
    found = {}
    for shape in typing.get_args(union):
        (action,) = typing.get_args(shape.model_fields["action"].annotation)
        found[str(action.value)] = shape
    return found


_SHAPES = _shapes()


@dataclass(frozen=True, slots=True)
class ActionFields:
    """What a person filled in; empty strings mean "not given"."""

    text: str = ""  # the reason, or the note where the action takes a note
    amount: str = ""  # in the main unit of the case's currency, e.g. "12.50"
    party: str = ""  # who appeals: buyer or merchant
    evidence_ids: list[int] = field(default_factory=list)
    carrier: str = ""
    tracking_number: str = ""
    outcome: str = ""
    liable_party: str = ""


def takes(action: Action) -> frozenset[str]:
    """The fields of ``action``'s shape, for a form to show only those."""
    shape = _SHAPES.get(action.value)
    return frozenset(shape.model_fields) if shape is not None else frozenset()


def _values(action: Action, given: ActionFields, currency: str) -> dict[str, Any]:
    wanted = takes(action)
    candidates: dict[str, Any] = {
        "reason": given.text,
        "note": given.text,
        "party": given.party,
        "evidence_ids": given.evidence_ids,
        "outcome": given.outcome,
        "liable_party": given.liable_party,
        "shipment": {"carrier": given.carrier, "tracking_number": given.tracking_number},
    }
    if given.amount.strip():
        candidates["amount_minor"] = minor_units(given.amount, currency, "amount_minor")
    values = {"action": action.value}
    for name, value in candidates.items():
        if name in wanted and value not in ("", []):
            values[name] = value
    return values


def action_input(action: Action, given: ActionFields, currency: str) -> CaseActionIn:
    """The validated action; ``Invalid`` names the first field at fault."""
    if action.value not in _SHAPES:
        raise Invalid(f"{action.value} is done by the system, not by hand", field="action")
    try:
        return _ADAPTER.validate_python(_values(action, given, currency))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"][1:]) or "action"
        raise Invalid(f"{where}: {first['msg']}", field=where) from exc
