"""The console's menu: the dashboard, cases and the ten capabilities in DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass

from tradeshield.console.labels import N_

PREFIX = "/console"


@dataclass(frozen=True, slots=True)
class NavItem:
    path: str
    msgid: str


NAV: tuple[NavItem, ...] = (
    NavItem(f"{PREFIX}/", N_("Dashboard")),
    NavItem(f"{PREFIX}/cases", N_("Cases")),
    NavItem(f"{PREFIX}/forensics", N_("Forensics")),
    NavItem(f"{PREFIX}/returns", N_("Returns")),
    NavItem(f"{PREFIX}/rules", N_("Rules")),
    NavItem(f"{PREFIX}/rectification", N_("Rectification")),
    NavItem(f"{PREFIX}/integrity", N_("Integrity")),
    NavItem(f"{PREFIX}/experience", N_("Experience score")),
    NavItem(f"{PREFIX}/alerts", N_("Merchant risk alerts")),
    NavItem(f"{PREFIX}/logistics", N_("Logistics warnings")),
    NavItem(f"{PREFIX}/assistant", N_("Assistant")),
    NavItem(f"{PREFIX}/support", N_("Support")),
)


def active_item(path: str) -> NavItem | None:
    """The menu entry a path belongs to: the longest prefix, the dashboard only exactly."""
    best: NavItem | None = None
    for item in NAV:
        if item.path == f"{PREFIX}/":
            if path in (PREFIX, item.path):
                return item
            continue
        inside = path == item.path or path.startswith(item.path + "/")
        if inside and (best is None or len(item.path) > len(best.path)):
            best = item
    return best
