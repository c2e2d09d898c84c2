"""Cases and their rulings from a chunk's claims, each at its point in the lifecycle.

Each claim takes a path through the state machine (``case_paths``); cases that resolved by
"now" get the ruling the state machine or the platform gave them, with the same reasons,
versions and inputs the case service stores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tradeshield.cases.kinds import CaseState
from tradeshield.cases.lifecycle import RETURN_KINDS, Action
from tradeshield.cases.policy import DeadlinePolicy
from tradeshield.demo import profiles
from tradeshield.demo.case_paths import (
    DIRECT,
    DIRECT_WEIGHTS,
    RETURNING,
    RETURNING_WEIGHTS,
    Lifecycle,
    Path,
    progress,
)
from tradeshield.demo.catalogue import Catalogue
from tradeshield.demo.claims import KINDS, REASONS, Claims
from tradeshield.demo.market import Market
from tradeshield.demo.ordering import OrderBatch
from tradeshield.demo.parcels import Outbound
from tradeshield.demo.rows import Rows
from tradeshield.demo.ruling_facts import ChunkFacts
from tradeshield.demo.rulings import ruling_rows
from tradeshield.demo.sampling import Floats, Ints, cumulative, draw
from tradeshield.demo.timebase import NEVER, stamps

_RETURN_KIND_INDICES = [KINDS.index(kind) for kind in RETURN_KINDS]
ENGLISH_SHARE = 0.15


@dataclass(frozen=True, slots=True)
class CaseBatch:
    ids: Ints
    ship_at: Ints  # when the buyer sent the goods back, NEVER if not (yet)
    rows: list[Rows]


def _walk(
    rng: np.random.Generator,
    claims: Claims,
    return_hours: Floats,
    policy: DeadlinePolicy,
    now: int,
) -> Lifecycle:
    life = Lifecycle.empty(claims.count)
    returning = np.isin(claims.kind, _RETURN_KIND_INDICES)
    abusive = claims.abusive
    for paths, weights, mask in (
        (DIRECT, DIRECT_WEIGHTS, ~returning),
        (RETURNING, RETURNING_WEIGHTS, returning),
    ):
        for manner, flags in (("honest", ~abusive), ("abusive", abusive)):
            members = np.flatnonzero(mask & flags)
            chosen = draw(rng, cumulative(weights[manner]), len(members))
            for index, path in enumerate(paths):
                _follow(
                    rng, path, members[chosen == index], claims, return_hours, policy, now, life
                )
    return life


def _follow(
    rng: np.random.Generator,
    path: Path,
    at: Ints,
    claims: Claims,
    return_hours: Floats,
    policy: DeadlinePolicy,
    now: int,
    life: Lifecycle,
) -> None:
    if len(at) == 0:
        return
    where = progress(rng, path, claims.opened[at], return_hours[at], policy, now)
    for i, state in zip(at.tolist(), where.state, strict=True):
        life.state[i] = state.value
    life.entered[at], life.deadline[at] = where.entered, where.deadline
    life.closed[at] = np.where([s is CaseState.CLOSED for s in where.state], where.entered, NEVER)
    life.version[at] = 1 + where.done
    offered = path.index_of(Action.MERCHANT_OFFER_PARTIAL)
    if offered >= 0:
        share = rng.uniform(0.3, 0.8, len(at))
        amounts = np.maximum(np.floor(claims.claimed[at] * share), 1).astype(np.int64).tolist()
        for i, amount, done in zip(at.tolist(), amounts, where.done.tolist(), strict=True):
            life.offer[i] = amount if done > offered else None
    reported = path.index_of(Action.MERCHANT_REPORT_FORGERY)
    if reported >= 0:
        life.forged[at] = where.done > reported
    shipped = path.index_of(Action.BUYER_SHIP_RETURN)
    if shipped >= 0:
        life.ship_at[at] = np.where(where.done > shipped, where.times[:, shipped], NEVER)
    ruled = path.ruling_step
    if ruled >= 0:
        happened = where.done > ruled
        life.ruled_at[at] = np.where(happened, where.times[:, ruled], NEVER)
        for i in at[happened].tolist():
            life.ruling_path[i] = (path, ruled)


def build_cases(
    rng: np.random.Generator,
    claims: Claims,
    batch: OrderBatch,
    market: Market,
    return_hours: Floats,
    first_number: int,
    parcels: Outbound,
) -> CaseBatch:
    policy = market.policy
    life = _walk(rng, claims, return_hours, policy, market.now)
    case_ids = market.ids.take("cases", claims.count)
    order = claims.order
    catalogue, tenant_id = market.catalogue, market.tenant_id
    rows = [
        Rows("cases", claims.count, {
            "id": case_ids, "tenant_id": tenant_id,
            "external_ref": [f"RF{first_number + k:09d}" for k in range(claims.count)],
            "order_id": batch.ids[order],
            "merchant_id": catalogue.merchant_ids[batch.merchant[order]],
            "buyer_id": market.population.ids[batch.buyer[order]],
            "kind": [KINDS[k].value for k in claims.kind.tolist()],
            "reason_code": [REASONS[r].value for r in claims.reason.tolist()],
            "description": _descriptions(rng, claims, batch, catalogue),
            "claimed_amount_minor": claims.claimed, "currency": "CNY", "state": life.state,
            "deadline_at": stamps(life.deadline), "offer_amount_minor": life.offer,
            "forgery_suspected": life.forged, "appeal_count": 0,
            "policy_version": policy.version, "opened_at": stamps(claims.opened),
            "updated_at": stamps(life.entered), "closed_at": stamps(life.closed),
            "version": life.version,
        }),
        ruling_rows(rng, ChunkFacts(claims, life, batch, parcels, market), case_ids),
    ]  # fmt: skip
    return CaseBatch(case_ids, life.ship_at, rows)


def _descriptions(
    rng: np.random.Generator, claims: Claims, batch: OrderBatch, catalogue: Catalogue
) -> list[str]:
    texts = profiles.texts().claims
    english = (rng.random(claims.count) < ENGLISH_SHARE).tolist()
    picks = rng.random(claims.count).tolist()
    products = batch.first_product[claims.order].tolist()
    written = []
    for code, in_english, u, product in zip(
        claims.reason.tolist(), english, picks, products, strict=True
    ):
        options = texts["en" if in_english else "zh"][REASONS[code]]
        item = (catalogue.item_en if in_english else catalogue.item_zh)[product]
        written.append(options[int(u * len(options))].format(item=item))
    return written
