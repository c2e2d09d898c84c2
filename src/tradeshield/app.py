"""Builds the FastAPI application: API routers under /v1, the console, error handling."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text

from tradeshield import __version__
from tradeshield.audit.api import router as audit_router
from tradeshield.buyers.api import router as buyers_router
from tradeshield.cases.api import router as cases_router
from tradeshield.catalog.api import router as catalog_router
from tradeshield.db import get_engine, session_factory
from tradeshield.evidence.api import router as evidence_router
from tradeshield.forensics.api import router as forensics_router
from tradeshield.http import problems
from tradeshield.http.body_size import BodySizeLimit
from tradeshield.integrity.api import router as integrity_router
from tradeshield.jobs.api import router as jobs_router
from tradeshield.orders.api import router as orders_router
from tradeshield.returns.api import router as returns_router
from tradeshield.reviews.api import router as reviews_router
from tradeshield.rules import service as rules_service
from tradeshield.rules.api import router as rules_router
from tradeshield.settings import get_settings
from tradeshield.shipments.api import router as shipments_router
from tradeshield.tenancy.api import router as tenancy_router

_MULTIPART_OVERHEAD = 64 * 1024


def _include_api(app: FastAPI) -> None:
    # Each module's router sits directly under /v1 (one level of routers to match through,
    # not two); routes are matched in order and the module prefixes never overlap, so the
    # routers of the hot paths (checkout answers, rulings) come first.
    for router in (
        returns_router,
        rules_router,
        tenancy_router,
        catalog_router,
        buyers_router,
        orders_router,
        shipments_router,
        cases_router,
        evidence_router,
        forensics_router,
        reviews_router,
        integrity_router,
        audit_router,
        jobs_router,
    ):
        app.include_router(router, prefix="/v1")


def _limit_body_size(app: FastAPI) -> None:
    limit = get_settings().max_upload_bytes + _MULTIPART_OVERHEAD
    app.add_middleware(BodySizeLimit, limit_bytes=limit)


def _health(app: FastAPI) -> None:
    # Async: it touches nothing that blocks, and a thread hand-off would cost more than it.
    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", tags=["health"])
    def readyz() -> JSONResponse:
        try:
            with app.state.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:  # any failure to reach the database means not ready
            body = {"status": "unavailable", "database": type(exc).__name__}
            return JSONResponse(body, status_code=503)
        return JSONResponse({"status": "ready", "database": "ok"})


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Load and check every rule pack before the first request (an invalid pack stops the
    # server here, not a ruling later), then move what start-up built out of the garbage
    # collector's sight: its full collections otherwise walk the packs under load.
    rules_service.library()
    gc.collect()
    gc.freeze()
    yield


def create_app(engine: Engine | None = None) -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan,
        title="TradeShield",
        version=__version__,
        description="After-sales trust platform: evidence, cases, rulings, returns, integrity.",
    )
    app.state.engine = engine or get_engine()
    # One factory for the app's life: building a sessionmaker per request costs more than
    # the hot routes' own queries.
    app.state.sessions = session_factory(app.state.engine)
    problems.install(app)
    _limit_body_size(app)
    _health(app)
    _include_api(app)
    from tradeshield.console.routes import mount_console

    mount_console(app)
    return app
