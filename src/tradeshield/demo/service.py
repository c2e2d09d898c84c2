"""``generate``: a seeded synthetic marketplace, with labelled abuse, in a new tenant.

The tenant and its operator key are made through the tenancy service; the bulk of the rows
go in through ``bulk.BulkLoader`` one chunk per transaction. Chunks are built and written in
turn on one thread: building the next chunk on a second thread was slower, because the
driver gives up the GIL for each statement and then waits to get it back. If anything
fails, the rows already written for the tenant are deleted again, so a failed run leaves no
half-made marketplace behind. One audit entry records the run.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.cases.policy import load_policy
from tradeshield.db import session_factory, unit_of_work
from tradeshield.demo.bulk import BulkLoader
from tradeshield.demo.models import DemoLabel
from tradeshield.demo.plan import plan_marketplace
from tradeshield.demo.timebase import REFERENCE_NOW, seconds
from tradeshield.errors import Invalid, NotFound
from tradeshield.settings import get_settings
from tradeshield.tenancy.kinds import Role, TenantKind
from tradeshield.tenancy.scope import Scope
from tradeshield.tenancy.service import create_tenant, find_tenant, issue_api_key

Progress = Callable[[int, int], None]

# Children before parents: the order to delete a failed run in.
GENERATED_TABLES = (
    "demo_labels", "reviews", "evidence_chain", "return_verifications", "unit_evidence",
    "scan_events", "shipments",
    "rulings", "cases", "order_lines", "orders", "price_changes", "products",
    "buyer_identifiers", "buyer_accounts", "merchants",
)  # fmt: skip
MAX_ORDERS = 50_000_000
DEMO_ACTION = "demo_generated"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    tenant_id: int
    tenant_slug: str
    operator_key: str  # the operator API key in clear; shown once, only its hash is stored
    seed: int
    orders: int
    rows: dict[str, int]  # rows inserted per table
    labels: dict[str, int]  # "pattern/entity_type" -> how many labels
    seconds: float


def generate(
    engine: Engine,
    orders: int,
    seed: int,
    tenant_slug: str = "demo",
    progress: Progress | None = None,
    now: dt.datetime = REFERENCE_NOW,
) -> DemoSummary:
    """Create tenant ``tenant_slug`` and fill it with ``orders`` orders and all around them.

    Raises ``Conflict`` if the tenant exists and ``Invalid`` for a bad order count or seed.
    The same seed, order count and ``now`` give the same rows, apart from the tenant's own
    rows, its API key and the audit entry.
    """
    if not 1 <= orders <= MAX_ORDERS:
        raise Invalid(f"orders must be between 1 and {MAX_ORDERS}, not {orders}", field="orders")
    if seed < 0:
        raise Invalid(f"seed must be zero or positive, not {seed}", field="seed")
    started = time.perf_counter()
    secret = get_settings().resolved_identifier_secret()
    with session_factory(engine)() as session, session.begin():
        tenant = create_tenant(
            session, tenant_slug, f"Demo marketplace ({tenant_slug})", TenantKind.MARKETPLACE
        )
        _, operator_key = issue_api_key(session, tenant.id, Role.OPERATOR, name="demo operator")
        tenant_id = tenant.id
    try:
        loader = _load(engine, orders, seed, seconds(now), tenant_id, secret, progress)
    except BaseException:
        _discard(engine, tenant_id)
        raise
    summary = DemoSummary(
        tenant_id=tenant_id,
        tenant_slug=tenant_slug,
        operator_key=operator_key,
        seed=seed,
        orders=orders,
        rows=dict(sorted(loader[0].items())),
        labels=dict(sorted(loader[1].items())),
        seconds=time.perf_counter() - started,
    )
    _record(engine, summary, now)
    return summary


def demo_exists(engine: Engine, tenant_slug: str = "demo") -> bool:
    """Whether tenant ``tenant_slug`` exists and was filled by ``generate``."""
    with session_factory(engine)() as session:
        try:
            tenant = find_tenant(session, tenant_slug)
        except NotFound:
            return False
        scope = Scope.system(tenant.id)
        entries = audit.history(
            session, scope, entity_type="tenant", entity_id=tenant.id, limit=500
        )
        return any(entry.action == DEMO_ACTION for entry in entries)


def _load(
    engine: Engine,
    orders: int,
    seed: int,
    now: int,
    tenant_id: int,
    secret: bytes,
    progress: Progress | None,
) -> tuple[dict[str, int], dict[str, int]]:
    with engine.connect() as connection:
        loader = BulkLoader(connection)
        last_ids = loader.last_ids(GENERATED_TABLES)
        plan = plan_marketplace(seed, orders, now, tenant_id, last_ids, secret, load_policy())
        with loader.loading():
            loader.write([loader.prepare(rows) for rows in plan.static_rows])
            done = 0
            for index in range(plan.chunk_count):
                batch = [loader.prepare(rows) for rows in plan.chunk(index)]
                loader.write(batch)
                done = min(done + sum(p.count for p in batch if p.table == "orders"), orders)
                if progress is not None:
                    progress(done, orders)
            loader.write([loader.prepare(rows) for rows in plan.closing_rows()])
        return dict(loader.counts), dict(plan.labels.counts)


def _discard(engine: Engine, tenant_id: int) -> None:
    """Delete what a failed run wrote, the tenant and its keys included."""
    with engine.begin() as connection:
        for table in (*GENERATED_TABLES, "api_keys"):
            connection.execute(
                text(f"DELETE FROM {table} WHERE tenant_id = :tenant"), {"tenant": tenant_id}
            )
        connection.execute(text("DELETE FROM tenants WHERE id = :tenant"), {"tenant": tenant_id})


def _record(engine: Engine, summary: DemoSummary, now: dt.datetime) -> None:
    scope = Scope(tenant_id=summary.tenant_id, role=Role.OPERATOR, actor="demo-generator")
    details = {
        "seed": summary.seed,
        "orders": summary.orders,
        "reference_now": now.isoformat(),
        "rows": summary.rows,
        "labels": summary.labels,
    }
    with unit_of_work(engine) as session:
        audit.record(session, scope, "tenant", summary.tenant_id, DEMO_ACTION, details)


def labelled_patterns(session: Session, tenant_id: int, entity_type: str) -> dict[int, str]:
    """Evaluation only: the hidden label of each labelled ``entity_type`` row of the tenant
    (entity id -> pattern). Detectors must never call this."""
    query = select(DemoLabel.entity_id, DemoLabel.pattern).where(
        DemoLabel.tenant_id == tenant_id, DemoLabel.entity_type == entity_type
    )
    return {int(entity_id): pattern.value for entity_id, pattern in session.execute(query)}


def labelled_ring_keys(session: Session, tenant_id: int) -> dict[int, str]:
    """Evaluation only: the hidden ring of each labelled ring-member buyer (buyer id -> ring
    key). Detectors must never call this."""
    query = select(DemoLabel.entity_id, DemoLabel.ring_key).where(
        DemoLabel.tenant_id == tenant_id,
        DemoLabel.entity_type == "buyer",
        DemoLabel.ring_key.is_not(None),
    )
    return {int(entity_id): str(ring_key) for entity_id, ring_key in session.execute(query)}
