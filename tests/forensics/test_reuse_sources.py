"""Reuse history: listing and review photos are fingerprinted so evidence lifted from them is
found, and lookups see rows written by other processes and rows committed out of id order."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from PIL import Image
from sqlalchemy.orm import Session
from tests.factories import Marketplace, make_marketplace, make_order, open_case
from tests.forensics.test_jpeg_history import textured

from tradeshield.cases.kinds import Party
from tradeshield.catalog import service as catalog
from tradeshield.catalog.schemas import ProductIn
from tradeshield.evidence import service as evidence_service
from tradeshield.evidence.blobs import BlobStore, chunked
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.forensics import history, photo_sources
from tradeshield.forensics import service as forensics
from tradeshield.forensics.models import PhotoFingerprint as FingerprintRow
from tradeshield.forensics.reuse import PhotoFingerprint
from tradeshield.forensics.reuse_cache import ReuseIndexCache
from tradeshield.reviews import service as reviews
from tradeshield.reviews.schemas import ReviewIn


def _jpeg(pixels: np.ndarray, quality: int = 90, size: tuple[int, int] | None = None) -> bytes:
    image = Image.fromarray(pixels)
    if size is not None:
        image = image.resize(size)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _stored(store: BlobStore, data: bytes) -> str:
    return evidence_service.receive_file(store, chunked(data)).sha256


def _market_with_listing(session: Session, listing_refs: list[str]) -> Marketplace:
    base = make_marketplace(session)
    scope = base.keys.scope
    product = catalog.create_product(
        session,
        scope,
        ProductIn(
            merchant_id=base.merchant.id,
            sku="SKU-LISTED",
            title_zh="陶瓷花瓶",
            title_en="Ceramic vase",
            category="home",
            listing_images=listing_refs,
            price_minor=12900,
            currency="CNY",
        ),
    )
    order = make_order(session, scope, base.merchant, product)
    return Marketplace(base.keys, base.merchant, product, order)


def _analyse_buyer_photo(
    session: Session, market: Marketplace, store: BlobStore, photo: bytes
) -> list[dict[str, Any]]:
    case = open_case(session, market)
    received = evidence_service.receive_file(store, chunked(photo))
    item = evidence_service.add_file(
        session, market.keys.scope, case.id, EvidenceKind.PHOTO, Party.BUYER, received
    )
    record = forensics.analyze_evidence(session, market.keys.scope, store, item.id)
    return [f for f in record.findings if f["detector"] == "reuse"]


def test_evidence_lifted_from_the_listing_is_found(session: Session) -> None:
    history.forget_cached_indexes()
    store = evidence_service.default_blob_store()
    listing = textured(600, 800, seed=21)
    market = _market_with_listing(session, ["sha256:" + _stored(store, _jpeg(listing, 92))])
    found = _analyse_buyer_photo(session, market, store, _jpeg(listing, 75, size=(640, 480)))
    assert [f["details"]["source"] for f in found] == ["listing"]
    assert found[0]["details"]["source_id"] == str(market.product.id)


def test_evidence_lifted_from_a_public_review_is_found(session: Session) -> None:
    history.forget_cached_indexes()
    store = evidence_service.default_blob_store()
    market = _market_with_listing(session, [])
    scope = market.keys.scope
    review_photo = textured(600, 800, seed=22)
    reviewer_order = make_order(session, scope, market.merchant, market.product)
    reviews.create_review(
        session,
        scope,
        ReviewIn(
            order_id=reviewer_order.id,
            product_id=market.product.id,
            rating=2,
            language="zh",
            text="花瓶有裂纹",
            photos=[_stored(store, _jpeg(review_photo))],
        ),
    )
    found = _analyse_buyer_photo(session, market, store, _jpeg(review_photo, 80))
    assert [f["details"]["source"] for f in found] == ["review"]


def test_references_without_stored_bytes_are_counted_not_fetched(session: Session) -> None:
    store = evidence_service.default_blob_store()
    absent = "sha256:" + "ab" * 32
    photo_ref = _stored(store, _jpeg(textured(300, 400, seed=23)))
    market = _market_with_listing(session, [absent, "https://img.example/1.jpg", photo_ref])
    scope = market.keys.scope
    first = photo_sources.index_product_photos(session, scope, store, [market.product.id])
    assert (first.added, first.known, first.missing) == (1, 0, ["ab" * 32])
    again = photo_sources.index_product_photos(session, scope, store, [market.product.id])
    assert (again.added, again.known) == (0, 1)


def _row(tenant_id: int, phash: int, row_id: int | None = None) -> FingerprintRow:
    return FingerprintRow(
        id=row_id, tenant_id=tenant_id, sha256=f"{phash:064x}", source_kind="case_evidence",
        phash=phash, dhash=phash,
    )  # fmt: skip


def _print(phash: int) -> PhotoFingerprint:
    return PhotoFingerprint(phash=phash, dhash=phash)


def test_rows_written_by_another_process_are_found(session: Session) -> None:
    tenant_id = make_marketplace(session).keys.scope.tenant_id
    this_process, other_process = ReuseIndexCache(), ReuseIndexCache()
    assert len(this_process.refreshed(session, tenant_id)) == 0
    other_process.refreshed(session, tenant_id)
    session.add(_row(tenant_id, 0x0F0F_0F0F_0F0F_0F0F))  # stored through the other process
    session.flush()
    assert this_process.refreshed(session, tenant_id).query(_print(0x0F0F_0F0F_0F0F_0F0F), 0)


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_row_committed_below_ids_already_read_is_found(session: Session) -> None:
    tenant_id = make_marketplace(session).keys.scope.tenant_id
    clock = _Clock()
    cache = ReuseIndexCache(clock=clock, settle_seconds=120, resync_seconds=3600)
    session.add(_row(tenant_id, 0x1111, row_id=5_000_010))
    session.flush()
    assert len(cache.refreshed(session, tenant_id)) == 1
    clock.now += 30  # within the settle window a slower transaction commits a lower id
    session.add(_row(tenant_id, 0x2222_0000, row_id=5_000_005))
    session.flush()
    index = cache.refreshed(session, tenant_id)
    assert [pid for pid, _ in index.query(_print(0x2222_0000), 0)] == [5_000_005]
    assert len(index) == 2  # the row read before is not added twice


def test_row_from_a_transaction_older_than_the_settle_window_waits_for_the_resync(
    session: Session,
) -> None:
    tenant_id = make_marketplace(session).keys.scope.tenant_id
    clock = _Clock()
    cache = ReuseIndexCache(clock=clock, settle_seconds=120, resync_seconds=3600)
    session.add(_row(tenant_id, 0x3333, row_id=6_000_010))
    session.flush()
    cache.refreshed(session, tenant_id)
    clock.now += 300
    cache.refreshed(session, tenant_id)  # id 6,000,010 is settled now
    session.add(_row(tenant_id, 0x4444_0000, row_id=6_000_001))  # open for five minutes
    session.flush()
    assert not cache.refreshed(session, tenant_id).query(_print(0x4444_0000), 0)
    clock.now += 3600
    assert cache.refreshed(session, tenant_id).query(_print(0x4444_0000), 0)
