"""Loading packs: every shipped pack passes its own cases; a bad pack is named and refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tradeshield.catalog.industries import Industry
from tradeshield.rules.kinds import PackKind
from tradeshield.rules.library import build_library, default_library
from tradeshield.rules.packs import PACKS_DIR, PackError, load_pack

INDUSTRY_PACKS = {
    "fresh_food", "flowers_plants", "live_pets", "e_bikes", "collectible_toys", "apparel",
    "cosmetics", "electronics", "large_furniture", "jewellery", "mother_baby", "daigou",
    "books_media", "home_appliances", "auto_parts", "digital_virtual",
}  # fmt: skip
SCENARIO_PACKS = {
    "quality_complaint", "not_as_described", "material_dispute", "damaged_in_transit",
    "lost_parcel", "late_delivery", "missing_parts", "repair", "installation", "return_mismatch",
    "forged_evidence", "refund_only_without_return", "mis_set_price", "stock_out",
}  # fmt: skip


def test_every_required_pack_is_in_force_and_its_cases_pass() -> None:
    library = default_library()
    industries = {p for p, pack in library.active.items() if pack.meta.kind is PackKind.INDUSTRY}
    assert industries == INDUSTRY_PACKS
    assert set(library.active) >= SCENARIO_PACKS
    results = [r for found in library.versions.values() for p in found.values()
               for r in library.run_cases(p)]  # fmt: skip
    assert len(results) >= 150
    assert [r for r in results if not r.passed] == []


def test_every_catalogue_industry_maps_to_exactly_one_industry_pack() -> None:
    mapping = default_library().by_industry
    assert set(mapping) == set(Industry)
    assert mapping[Industry.SPORTS].meta.id == "apparel"


def test_tables_stay_readable_and_every_clause_has_both_languages() -> None:
    for pack in default_library().active.values():
        assert all(len(table.rows) < 30 for table in pack.tables), pack.key
        assert all(c.zh and c.en and c.source for c in pack.clauses.values())
        assert pack.meta.sources


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the electronics pack, in a library root of its own."""
    folder = tmp_path / "electronics" / "2026.1"
    shutil.copytree(PACKS_DIR / "electronics" / "2026.1", folder)
    return folder


def _edit_rule(folder: Path, row_index: int, column_field: str, cell: str) -> None:
    path = folder / "decision.json"
    graph = json.loads(path.read_text())
    table = next(n for n in graph["nodes"] if n["type"] == "decisionTableNode")
    columns = table["content"]["inputs"] + table["content"]["outputs"]
    column = next(c["id"] for c in columns if c["field"] == column_field)
    table["content"]["rules"][row_index][column] = cell
    path.write_text(json.dumps(graph))


def test_a_copied_pack_loads_on_its_own(pack_copy: Path) -> None:
    library = build_library(pack_copy.parent.parent)
    assert list(library.active) == ["electronics"]


def test_graph_that_is_not_json_is_refused_with_the_file_named(pack_copy: Path) -> None:
    (pack_copy / "decision.json").write_text('{"nodes": [')
    with pytest.raises(PackError, match=r"decision\.json: graph: not JSON"):
        load_pack(pack_copy)


def test_graph_without_output_node_is_refused(pack_copy: Path) -> None:
    path = pack_copy / "decision.json"
    graph = json.loads(path.read_text())
    graph["nodes"] = [n for n in graph["nodes"] if n["type"] != "outputNode"]
    graph["edges"] = [e for e in graph["edges"] if e["targetId"] != "ruling"]
    path.write_text(json.dumps(graph))
    with pytest.raises(PackError, match="exactly one inputNode and one outputNode"):
        load_pack(pack_copy)


def test_cell_that_does_not_parse_names_its_rule(pack_copy: Path) -> None:
    _edit_rule(pack_copy, 2, "hours_after_delivery", "<== 168")
    with pytest.raises(PackError, match=r"rule electronics-rules-3: cannot parse '<== 168'"):
        load_pack(pack_copy)


def test_clause_cited_but_missing_is_refused_with_the_rule_named(pack_copy: Path) -> None:
    _edit_rule(pack_copy, 4, "clause", '"electronics.99"')
    with pytest.raises(
        PackError, match=r"rule electronics-rules-5: cites clause 'electronics\.99'"
    ):
        load_pack(pack_copy)


def test_unknown_outcome_is_refused(pack_copy: Path) -> None:
    _edit_rule(pack_copy, 0, "outcome", '"refund_twice"')
    with pytest.raises(PackError, match="outcome 'refund_twice' is not one of the known values"):
        load_pack(pack_copy)


def test_failing_test_case_is_refused_with_the_case_named(pack_copy: Path) -> None:
    # A row that used to exchange now repairs: the pack's own "fault day 12" case fails.
    _edit_rule(pack_copy, 5, "outcome", '"repair"')
    with pytest.raises(PackError, match=r"cases\.toml: case 'fault day 12': outcome repair"):
        build_library(pack_copy.parent.parent)


def test_selector_naming_an_unknown_fact_is_refused(pack_copy: Path) -> None:
    path = pack_copy / "pack.toml"
    path.write_text(path.read_text() + 'when = ["item.teleported"]\n')
    with pytest.raises(PackError, match=r"pack\.toml: when: no fact 'item\.teleported'"):
        load_pack(pack_copy)


def test_folder_and_pack_version_must_agree(pack_copy: Path) -> None:
    moved = pack_copy.parent / "2099.9"
    pack_copy.rename(moved)
    with pytest.raises(PackError, match="id/version differ from the folder"):
        load_pack(moved)
