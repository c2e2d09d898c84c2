"""Which case actions the console offers to the signed-in key, and how a refusal reads.

The state machine says what may happen now (``cases.service.allowed_actions``); the role
narrows it: an operator acts for anyone (on the buyer's behalf for buyer steps), a
merchant key only for its shop's side, a read-only key for nobody. The service checks all
of this again; these forms only avoid offering what would be refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tradeshield.cases import service as cases
from tradeshield.cases.action_input import takes
from tradeshield.cases.kinds import LiableParty, Outcome, Party
from tradeshield.cases.lifecycle import ACTORS, OPEN_STATES, Action
from tradeshield.console.labels import N_
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope

if TYPE_CHECKING:  # cases come from cases.service; the table is not read here
    from tradeshield.cases.models import Case

# What the headline of a refused form says; the service's own words follow it.
PROBLEMS: dict[int, str] = {
    403: N_("Your key may not do this."),
    404: N_("Something this action names does not exist."),
    409: N_("This is not possible in the case's current state."),
    413: N_("The file is larger than the console accepts."),
    422: N_("Check what you filled in."),
}
PROBLEM_FALLBACK = N_("The action could not be completed.")


@dataclass(frozen=True, slots=True)
class Problem:
    """A refused action: the HTTP status, and the service's explanation."""

    status: int
    detail: str

    @property
    def headline_msgid(self) -> str:
        return PROBLEMS.get(self.status, PROBLEM_FALLBACK)


@dataclass(frozen=True, slots=True)
class ActionForm:
    """One form on the case page: the action and the inputs it takes."""

    action: Action
    fields: frozenset[str]
    text_required: bool  # the text box is a required reason, not an optional note
    on_behalf_of_buyer: bool
    parties: tuple[Party, ...]  # who may appeal, for the appeal form


def _parties(scope: Scope) -> tuple[Party, ...]:
    if scope.role is Role.MERCHANT:
        return (Party.MERCHANT,)
    return (Party.BUYER, Party.MERCHANT)


def _offered(scope: Scope, action: Action) -> bool:
    if scope.role is Role.READ_ONLY or action is Action.DEADLINE:
        return False
    if scope.role is Role.MERCHANT:
        return Party.MERCHANT in ACTORS[action]
    return True


def forms_for(scope: Scope, case: Case) -> list[ActionForm]:
    """The forms to show on ``case`` for ``scope``, in the state machine's order."""
    forms = []
    for action in cases.allowed_actions(case):
        if not _offered(scope, action):
            continue
        fields = takes(action)
        forms.append(
            ActionForm(
                action=action,
                fields=fields,
                text_required="reason" in fields,
                on_behalf_of_buyer=ACTORS[action] == frozenset({Party.BUYER}),
                parties=_parties(scope),
            )
        )
    return forms


def may_adjudicate(scope: Scope, case: Case) -> bool:
    """Operators may have the packs rule any open case."""
    return scope.role is Role.OPERATOR and case.state in OPEN_STATES


OUTCOMES = list(Outcome)
LIABLE_PARTIES = list(LiableParty)
