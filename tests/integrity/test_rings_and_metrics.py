"""Rings from shared identifiers (not from one public address or shopping alike), and the
evaluation metrics on hand-checked cases."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tradeshield.integrity.frames import (
    ACCOUNTS_SCHEMA,
    CLAIMS_SCHEMA,
    IDENTIFIERS_SCHEMA,
    ORDERS_SCHEMA,
    PURCHASES_SCHEMA,
    MarketFrames,
)
from tradeshield.integrity.metrics import adjusted_rand_index, auc, precision_recall_at
from tradeshield.integrity.policy import load_policy
from tradeshield.integrity.rings import find_rings


def _market(
    identifiers: list[tuple[int, str, str]], purchases: list[tuple[int, int, int]]
) -> MarketFrames:
    return MarketFrames(
        accounts=pl.DataFrame(schema=ACCOUNTS_SCHEMA),
        orders=pl.DataFrame(schema=ORDERS_SCHEMA),
        claims=pl.DataFrame(schema=CLAIMS_SCHEMA),
        identifiers=pl.DataFrame(identifiers, schema=IDENTIFIERS_SCHEMA, orient="row"),
        purchases=pl.DataFrame(purchases, schema=PURCHASES_SCHEMA, orient="row"),
    )


def test_accounts_sharing_a_device_and_payment_form_a_ring() -> None:
    ring = [(b, "device", "dev-A") for b in (1, 2, 3, 4)] + [
        (b, "payment_account", "pay-A") for b in (2, 3, 4)
    ]
    pair = [(10, "device", "dev-B"), (11, "device", "dev-B")]  # two is not a ring
    found = find_rings(_market(ring + pair, []), load_policy().rings)
    assert [r.member_ids for r in found] == [[1, 2, 3, 4]]
    assert found[0].edges
    assert all(link in {"device", "payment_account"} for *_, link in found[0].edges)


def test_a_ring_keeps_its_members_links_only_and_comes_out_the_same_each_run() -> None:
    ring = [(b, "device", "dev-A") for b in (1, 2, 3, 4)]
    # Member 4 also buys alike with an outsider: that link is not one of the ring's edges.
    purchases = [(b, 7, 1_000 + b) for b in (4, 50)] + [(b, 8, 90_000 + b) for b in (4, 50)]
    market = _market(ring, purchases)
    found = find_rings(market, load_policy().rings)
    assert [r.member_ids for r in found] == [[1, 2, 3, 4]]
    assert sorted((a, b) for a, b, *_ in found[0].edges) == [
        (1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4),
    ]  # fmt: skip
    assert find_rings(market, load_policy().rings) == found


def test_an_address_shared_by_a_crowd_links_nobody() -> None:
    crowd = [(b, "address", "locker-1") for b in range(100, 140)]
    assert find_rings(_market(crowd, []), load_policy().rings) == []


def test_buying_alike_alone_does_not_make_a_ring() -> None:
    purchases = [(b, 7, 1_000 + b) for b in (1, 2, 3, 4)] + [
        (b, 8, 90_000 + b) for b in (1, 2, 3, 4)
    ]
    assert find_rings(_market([], purchases), load_policy().rings) == []


def test_auc_ranks_and_ties() -> None:
    positive = np.array([True, True, False, False])
    assert auc(np.array([0.9, 0.8, 0.1, 0.2]), positive) == 1.0
    assert auc(np.array([0.1, 0.2, 0.9, 0.8]), positive) == 0.0
    assert auc(np.array([0.5, 0.5, 0.5, 0.5]), positive) == 0.5


def test_precision_and_recall_of_a_flagged_set() -> None:
    flagged = np.array([True, True, False, False])
    positive = np.array([True, False, True, False])
    assert precision_recall_at(flagged, positive) == (0.5, 0.5)


def test_adjusted_rand_index_is_one_for_the_same_split_and_low_for_a_crossed_one() -> None:
    assert adjusted_rand_index(list("aabbcc"), [1, 1, 2, 2, 3, 3]) == pytest.approx(1.0)
    assert adjusted_rand_index(list("aabb"), [1, 2, 1, 2]) < 0
