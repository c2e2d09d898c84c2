"""What a product page shows: bilingual title, category, attributes and listing images.

Pure: draws come in as an array of uniforms, one row per product, so the text is as
repeatable as the numbers behind it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from tradeshield.demo.profiles import AttributeSpec, Category, IndustryProfile

MAX_IMAGES = 6


@dataclass(frozen=True, slots=True)
class Listing:
    title_zh: str
    title_en: str
    category: str
    item_zh: str
    item_en: str
    attributes_json: str
    images_json: str


def _attribute(spec: AttributeSpec, u: float) -> tuple[Any, str, str]:
    """The stored value and its English and Chinese display."""
    if spec.kind == "choice":
        zh, en = spec.values[min(int(u * len(spec.values)), len(spec.values) - 1)]
        return (int(en) if en.isdigit() else en), en, zh
    if spec.kind == "int":
        value = spec.low + min(int(u * (spec.high - spec.low + 1)), spec.high - spec.low)
        return value, str(value), str(value)
    if spec.kind == "bool":
        flag = u < spec.p
        return flag, "yes" if flag else "no", "是" if flag else "否"
    code = f"{spec.prefix}{int(u * 10**spec.digits):0{spec.digits}d}"
    return code, code, code


def image_refs(seed: int, sku_key: str, count: int) -> list[str]:
    """Content references shaped like the evidence store's (SHA-256), never fetched."""
    return [
        "sha256:" + hashlib.sha256(f"tradeshield-demo:{seed}:{sku_key}:{i}".encode()).hexdigest()
        for i in range(count)
    ]


def describe(
    profile: IndustryProfile,
    category: Category,
    draws: list[float],
    weight_grams: int,
    images: list[str],
) -> Listing:
    """One listing; ``draws`` holds a uniform for the item, then one per attribute."""
    item_zh, item_en = category.items[int(draws[0] * len(category.items))]
    attributes: dict[str, Any] = {}
    fields = {"item_zh": item_zh, "item_en": item_en}
    for spec, u in zip(profile.attributes, draws[1:], strict=False):
        stored, en, zh = _attribute(spec, u)
        attributes[spec.name] = stored
        fields[spec.name] = en
        fields[f"{spec.name}_zh"] = zh
    if weight_grams > 0:
        attributes["weight_grams"] = weight_grams
    return Listing(
        title_zh=category.title_zh.format(**fields),
        title_en=category.title_en.format(**fields),
        category=f"{category.zh} / {category.en}",
        item_zh=item_zh,
        item_en=item_en,
        attributes_json=json.dumps(attributes),
        images_json=json.dumps(images),
    )
