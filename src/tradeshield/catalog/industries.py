"""The industries a shop or a product belongs to; rule packs and scores are chosen by them."""

from __future__ import annotations

import enum


class Industry(enum.StrEnum):
    FRESH_FOOD = "fresh_food"
    FLOWERS_PLANTS = "flowers_plants"
    LIVE_PETS = "live_pets"
    E_BIKES = "e_bikes"
    COLLECTIBLE_TOYS = "collectible_toys"
    APPAREL = "apparel"
    COSMETICS = "cosmetics"
    ELECTRONICS = "electronics"
    LARGE_FURNITURE = "large_furniture"
    JEWELLERY = "jewellery"
    MOTHER_BABY = "mother_baby"
    DAIGOU = "daigou"
    BOOKS_MEDIA = "books_media"
    HOME_APPLIANCES = "home_appliances"
    SPORTS = "sports"
    AUTO_PARTS = "auto_parts"
    DIGITAL_VIRTUAL = "digital_virtual"
