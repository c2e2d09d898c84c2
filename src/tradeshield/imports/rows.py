"""What one row of an import file must hold, checked before anything is looked up.

The modules' In-schemas take database ids; a file names things by external reference
instead. So each row model here mirrors its In-schema with ``*_ref`` columns in place of
``*_id`` fields (scans reuse :class:`ScanIn` as it is), and the In-schema checks the values
again when the row is applied. Own identity is ``external_ref`` for orders and cases, and
carrier + tracking number for parcels; it is what makes a second import of a file a no-op.
"""

from __future__ import annotations

from pydantic import Field, StrictInt, ValidationError
from pydantic_core import ErrorDetails

from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.buyers.schemas import IdentifierIn
from tradeshield.cases.kinds import CaseKind, ReasonCode
from tradeshield.imports.readers import Record
from tradeshield.schema_types import AwareDatetime, Currency, ExternalRef, InModel, MinorAmount
from tradeshield.shipments.schemas import ScanIn


class ImportRow(InModel):
    def identity(self) -> str:
        """How the row names the thing it creates, e.g. ``order 'A-1'``; unique per file."""
        raise NotImplementedError


class OrderLineRow(InModel):
    sku: str = Field(min_length=1, max_length=100)
    quantity: StrictInt = Field(gt=0, le=10_000)
    unit_price_minor: MinorAmount
    promo: bool = False


class OrderRow(ImportRow):
    external_ref: ExternalRef
    merchant_ref: ExternalRef
    buyer_ref: ExternalRef
    buyer_registered_at: AwareDatetime | None = Field(
        default=None, description="when the buyer is new; defaults to placed_at"
    )
    phone: str | None = Field(default=None, min_length=1, max_length=500)
    device: str | None = Field(default=None, min_length=1, max_length=500)
    address: str | None = Field(default=None, min_length=1, max_length=500)
    payment_account: str | None = Field(default=None, min_length=1, max_length=500)
    placed_at: AwareDatetime
    paid_at: AwareDatetime | None = None
    currency: Currency
    lines: list[OrderLineRow] = Field(min_length=1, max_length=500)

    def identity(self) -> str:
        return f"order {self.external_ref!r}"

    def identifiers(self) -> list[IdentifierIn]:
        given = {
            IdentifierKind.PHONE: self.phone,
            IdentifierKind.DEVICE: self.device,
            IdentifierKind.ADDRESS: self.address,
            IdentifierKind.PAYMENT_ACCOUNT: self.payment_account,
        }
        return [IdentifierIn(kind=kind, value=value) for kind, value in given.items() if value]


class ShipmentRow(ImportRow):
    order_ref: ExternalRef
    carrier: str = Field(min_length=1, max_length=60)
    tracking_number: str = Field(min_length=1, max_length=80)
    shipped_at: AwareDatetime | None = None
    promised_delivery_at: AwareDatetime | None = None
    declared_weight_grams: StrictInt | None = Field(default=None, gt=0)
    measured_weight_grams: StrictInt | None = Field(default=None, gt=0)
    scans: list[ScanIn] = Field(default_factory=list, max_length=500)

    def identity(self) -> str:
        return f"{self.carrier} parcel {self.tracking_number!r}"


class CaseRow(ImportRow):
    external_ref: ExternalRef
    order_ref: ExternalRef
    kind: CaseKind
    reason_code: ReasonCode
    claimed_amount_minor: MinorAmount
    currency: Currency
    description: str = Field(default="", max_length=5000)
    opened_at: AwareDatetime | None = None

    def identity(self) -> str:
        return f"case {self.external_ref!r}"


_NESTED = ("lines", "scans")
_SHOWN_INPUT = 40


def explain(error: ValidationError, record: Record) -> tuple[int, str]:
    """The line to blame and one readable sentence for the first thing wrong with a row."""
    first = error.errors()[0]
    location = first["loc"]
    line = record.line
    if len(location) >= 2 and location[0] in _NESTED and isinstance(location[1], int):
        line = record.line_of_part(location[1])
    reason = _sentence(".".join(str(part) for part in location), first)
    more = error.error_count() - 1
    return line, reason + (f" (and {more} more problem(s))" if more else "")


def _sentence(where: str, detail: ErrorDetails) -> str:
    kind = detail["type"]
    if kind == "missing":
        return f"{where} is missing"
    if kind == "extra_forbidden":
        return f"unknown field {where}"
    message = str(detail["msg"]).removeprefix("Value error, ")
    shown = repr(detail["input"])
    if len(shown) > _SHOWN_INPUT:
        shown = shown[: _SHOWN_INPUT - 3] + "..."
    return f"{where}: {message} (got {shown})" if where else f"{message} (got {shown})"
