"""Routes for rule packs, adjudication (stored or not) and what-if replay."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.rules import service
from tradeshield.rules.adjudication import RulingValue
from tradeshield.rules.packs import Pack
from tradeshield.rules.schemas import (
    AdjudicateIn,
    CaseAdjudicateIn,
    PackOut,
    PackSummaryOut,
    ReplayIn,
    ReplayOut,
    RulingValueOut,
    StoredRulingOut,
    TableOut,
)

router = APIRouter(tags=["rules"])


def ruling_out(value: RulingValue) -> RulingValueOut:
    return RulingValueOut.model_validate(value.as_dict())


def summary_out(pack: Pack) -> PackSummaryOut:
    meta = pack.meta
    return PackSummaryOut(
        **meta.model_dump(include={"id", "kind", "version", "effective", "title_zh", "title_en"}),
        precedence=meta.precedence,
        versions=[p.meta.version for p in service.versions_of(meta.id)],
    )


def pack_out(pack: Pack) -> PackOut:
    meta = pack.meta
    return PackOut(
        **summary_out(pack).model_dump(),
        summary_zh=meta.summary_zh,
        summary_en=meta.summary_en,
        sources=meta.sources,
        industries=[i.value for i in meta.industries],
        reasons=[r.value for r in meta.reasons],
        kinds=[k.value for k in meta.kinds],
        when=[".".join(path) for path in meta.when],
        clauses=[c.model_dump() for c in pack.clauses.values()],
        tables=[TableOut.model_validate(t) for t in pack.tables],
        cases=[c.model_dump(mode="json") for c in pack.cases],
        decision=pack.graph,
    )


@router.get("/rules/packs", response_model=list[PackSummaryOut])
def list_packs(scope: CallerScope) -> list[PackSummaryOut]:
    return [summary_out(p) for p in service.list_packs()]


@router.get("/rules/packs/{pack_id}", response_model=PackOut)
def get_pack(pack_id: str, scope: CallerScope, version: str | None = None) -> PackOut:
    return pack_out(service.get_pack(pack_id, version))


@router.post("/rules/adjudicate", response_model=RulingValueOut)
async def adjudicate(body: AdjudicateIn, scope: CallerScope) -> JSONResponse:
    """Rule on the facts given; nothing is stored, so a retry (with or without an
    Idempotency-Key) gets the same ruling and changes nothing.

    Async on purpose: the ruling takes a fraction of a millisecond, less than a hand-off to
    the thread pool; no database session is opened."""
    ruling = ruling_out(service.adjudicate_facts(body.facts, body.pins))
    return JSONResponse(ruling.model_dump(mode="json"))


@router.post("/cases/{case_id}/adjudicate", status_code=201, response_model=StoredRulingOut)
def adjudicate_case(
    case_id: int,
    body: CaseAdjudicateIn,
    session: DbSession,
    scope: CallerScope,
    key: IdempotencyKey,
) -> JSONResponse:
    """Rule a case by the packs and store the ruling; a decisive ruling resolves the case."""

    def produce() -> StoredRulingOut:
        value, ruling_id = service.rule_case(session, scope, case_id, body.additions())
        return StoredRulingOut(
            **ruling_out(value).model_dump(), ruling_id=ruling_id, case_id=case_id
        )

    return respond_once(
        session, scope, key, fingerprint(f"/cases/{case_id}/adjudicate", body), produce
    )


@router.post("/rules/replay", response_model=ReplayOut)
def replay(
    body: ReplayIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    """What-if: re-rule the cases opened since a date under another version of one pack."""
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/rules/replay", body),
        lambda: ReplayOut.model_validate(
            service.replay(session, scope, body.pack, body.version, body.since).as_dict()
        ),
        status_code=200,
    )
