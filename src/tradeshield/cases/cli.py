"""`tradeshield cases act|adjudicate`: a step of a case from the command line.

Thin shells: the same workflow the API runs, as the tenant's operator, one transaction
per command. A refused action (wrong state, bad amount, unknown case) exits 2 with one
line, like every command.
"""

from __future__ import annotations

import json

import click
from sqlalchemy.orm import Session

from tradeshield.cases import service as cases
from tradeshield.cases import workflow
from tradeshield.cases.action_input import ActionFields, action_input
from tradeshield.cases.lifecycle import Action
from tradeshield.cases.models import Ruling
from tradeshield.db import unit_of_work
from tradeshield.rules import service as rules
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope
from tradeshield.tenancy.service import find_tenant

_HAND_ACTIONS = [a.value for a in Action if a is not Action.DEADLINE]


def _operator(session: Session, tenant: str) -> Scope:
    found = find_tenant(session, tenant)
    return Scope(tenant_id=found.id, role=Role.OPERATOR, actor="cli")


@click.command("act")
@click.argument("case_id", type=click.IntRange(min=1))
@click.argument("action", type=click.Choice(_HAND_ACTIONS))
@click.option("--reason", "text", default="", help="the reason, or the note for a note")
@click.option("--amount", default="", help="in the case's currency, e.g. 12.50")
@click.option("--party", type=click.Choice(["buyer", "merchant"]), default=None, help="appeal")
@click.option("--evidence-id", "evidence_ids", type=click.IntRange(min=1), multiple=True)
@click.option("--carrier", default="", help="return parcel's carrier (buyer_ship_return)")
@click.option("--tracking-number", default="", help="return parcel's tracking number")
@click.option("--outcome", default="", help="platform_rule: the outcome ruled")
@click.option("--liable-party", default="", help="platform_rule: who bears the cost")
@click.option("--tenant", default="demo", show_default=True, help="tenant slug")
def act_command(
    case_id: int, action: str, text: str, amount: str, party: str | None,
    evidence_ids: tuple[int, ...], carrier: str, tracking_number: str, outcome: str,
    liable_party: str, tenant: str,
) -> None:  # fmt: skip
    """Perform ACTION on case CASE_ID and print the state it is in afterwards."""
    given = ActionFields(
        text=text, amount=amount, party=party or "", evidence_ids=list(evidence_ids),
        carrier=carrier, tracking_number=tracking_number, outcome=outcome,
        liable_party=liable_party,
    )  # fmt: skip
    with unit_of_work() as session:
        scope = _operator(session, tenant)
        case = cases.get_case(session, scope, case_id)
        action_in = action_input(Action(action), given, case.currency)
        case = workflow.take_action(session, scope, case_id, action_in)
        ruling = cases.latest_ruling(session, case.id)
        answer = {
            "case_id": case.id,
            "state": case.state.value,
            "allowed_actions": [a.value for a in cases.allowed_actions(case)],
            "latest_ruling": _ruling_summary(ruling),
        }
    click.echo(json.dumps(answer, ensure_ascii=False))


def _ruling_summary(ruling: Ruling | None) -> dict[str, object] | None:
    if ruling is None:
        return None
    return {
        "outcome": ruling.outcome.value,
        "amount_minor": ruling.amount_minor,
        "clause_ids": list(ruling.clause_ids),
    }


@click.command("adjudicate")
@click.argument("case_id", type=click.IntRange(min=1))
@click.option("--tenant", default="demo", show_default=True, help="tenant slug")
def adjudicate_command(case_id: int, tenant: str) -> None:
    """Rule open case CASE_ID by the rule packs and store the ruling."""
    with unit_of_work() as session:
        scope = _operator(session, tenant)
        value, ruling_id = rules.rule_case(session, scope, case_id)
        answer = {"case_id": case_id, "ruling_id": ruling_id, **value.as_dict()}
        answer.pop("inputs")
    click.echo(json.dumps(answer, ensure_ascii=False))


CASE_COMMANDS = (act_command, adjudicate_command)
