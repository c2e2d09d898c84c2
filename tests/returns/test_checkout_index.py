"""The per-process checkout snapshots: trusted for their time to live, then reloaded."""

from __future__ import annotations

import time

from tradeshield.returns.checkout_index import RestrictedSets, TenantSnapshots


def test_snapshot_is_reused_within_its_time_to_live_and_kept_per_tenant() -> None:
    loads: list[int] = []
    snapshots: TenantSnapshots[int] = TenantSnapshots(ttl_seconds=60.0)
    assert snapshots.get(1, lambda: loads.append(1) or 10) == 10
    assert snapshots.get(1, lambda: loads.append(1) or 11) == 10
    assert snapshots.get(2, lambda: loads.append(2) or 20) == 20
    assert loads == [1, 2]


def test_snapshot_reloads_after_its_time_to_live_or_when_forgotten() -> None:
    snapshots: TenantSnapshots[str] = TenantSnapshots(ttl_seconds=0.01)
    assert snapshots.get(1, lambda: "first") == "first"
    time.sleep(0.02)
    assert snapshots.get(1, lambda: "second") == "second"
    long_lived: TenantSnapshots[str] = TenantSnapshots(ttl_seconds=60.0)
    long_lived.get(1, lambda: "old")
    long_lived.forget(1)
    assert long_lived.get(1, lambda: "new") == "new"


def test_restricted_sets_touch_a_buyer_by_id_or_by_a_shared_identifier() -> None:
    sets = RestrictedSets(frozenset({7}), frozenset({"h-shared"}))
    assert sets.touches(7, [])
    assert sets.touches(8, ["h-other", "h-shared"])
    assert not sets.touches(8, ["h-other"])
