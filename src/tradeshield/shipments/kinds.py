"""Closed sets describing parcels and their scans."""

from __future__ import annotations

import enum


class Direction(enum.StrEnum):
    OUTBOUND = "outbound"
    RETURN = "return"


class ShipmentStatus(enum.StrEnum):
    CREATED = "created"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    LOST = "lost"


class ScanKind(enum.StrEnum):
    PICKED_UP = "picked_up"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    DELAYED = "delayed"
    DAMAGED = "damaged"
    EXCEPTION = "exception"
    LOST = "lost"
