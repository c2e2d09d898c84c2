"""Listing and review photos into the reuse history, so that evidence lifted from a product's
listing or from its public reviews is found like evidence reused from another case.

Products hold their listing photos and reviews their photos as references to the evidence blob
store (``sha256:<hex>`` or the bare hex). Only photos whose bytes are in the store can be
fingerprinted; a reference to bytes the platform never received (a demo catalogue, a URL) is
counted as missing, never fetched. Indexing is idempotent, so it runs before each reuse lookup
for the products of the case being checked, and costs a query once their photos are known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tradeshield.catalog import service as catalog
from tradeshield.errors import DomainError
from tradeshield.evidence.blobs import BlobStore
from tradeshield.forensics import history
from tradeshield.forensics.loading import load_image
from tradeshield.forensics.reuse import fingerprint
from tradeshield.pagination import PageRequest
from tradeshield.reviews import service as reviews
from tradeshield.tenancy.scope import Scope

_BLOB_REF = re.compile(r"^(?:sha256:)?([0-9a-f]{64})$")
_REVIEW_PAGE = 200


@dataclass
class IndexedPhotos:
    added: int = 0
    known: int = 0
    missing: list[str] = field(default_factory=list)  # references with no bytes in the store
    unreadable: list[str] = field(default_factory=list)  # bytes that are not a photo


def index_product_photos(
    session: Session, scope: Scope, store: BlobStore, product_ids: Sequence[int]
) -> IndexedPhotos:
    """Fingerprint the listing and review photos of these products not yet in the history."""
    outcome = IndexedPhotos()
    wanted = sorted(set(product_ids))
    if not wanted:
        return outcome
    known = history.known_catalogue_photos(session, scope.tenant_id, wanted)
    for kind, product_id, sha256 in _photo_refs(session, scope, wanted):
        if (kind, product_id, sha256) in known:
            outcome.known += 1
            continue
        if not store.exists(sha256):
            outcome.missing.append(sha256)
            continue
        try:
            image = load_image(store.open_bytes(sha256))
        except DomainError:
            outcome.unreadable.append(sha256)
            continue
        history.remember_catalogue_photo(
            session, scope.tenant_id, sha256, fingerprint(image), kind, product_id
        )
        known.add((kind, product_id, sha256))
        outcome.added += 1
    return outcome


def _photo_refs(
    session: Session, scope: Scope, product_ids: list[int]
) -> Iterator[tuple[str, int, str]]:
    """(source kind, product id, sha256) of every listing and review photo reference."""
    for product_id in product_ids:
        product = catalog.get_product(session, scope, product_id)
        for ref in product.listing_images:
            if (match := _BLOB_REF.match(ref.strip().lower())) is not None:
                yield "listing", product_id, match.group(1)
        page = PageRequest(limit=_REVIEW_PAGE)
        while True:
            found = reviews.list_reviews(session, scope, page, product_id=product_id)
            for review in found.items:
                for ref in review.photos:
                    if (match := _BLOB_REF.match(ref.strip().lower())) is not None:
                        yield "review", product_id, match.group(1)
            if not found.next_cursor:
                break
            page = PageRequest(limit=_REVIEW_PAGE, cursor=found.next_cursor)
