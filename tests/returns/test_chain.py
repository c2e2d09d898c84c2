"""The hash chain detects a changed byte, a removed link and a reordered link."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tradeshield.returns import chain

records_strategy = st.lists(
    st.dictionaries(st.sampled_from(["serial", "weight", "seal"]), st.text(max_size=12)),
    min_size=2,
    max_size=12,
)


def _build(records: list[dict[str, Any]]) -> tuple[list[chain.Link], dict[int, dict[str, Any]]]:
    links: list[chain.Link] = []
    stored: dict[int, dict[str, Any]] = {}
    for index, record in enumerate(records, start=1):
        stored[index] = dict(record, id=index)
        previous = links[-1] if links else None
        links.append(chain.next_link(previous, "unit", index, chain.record_hash(stored[index])))
    return links, stored


def _verify(links: list[chain.Link], stored: dict[int, dict[str, Any]]) -> chain.ChainReport:
    return chain.verify(links, lambda _t, i: stored.get(i), lambda _sha: True)


@given(records_strategy)
def test_untouched_chain_is_intact(records: list[dict[str, Any]]) -> None:
    links, stored = _build(records)
    report = _verify(links, stored)
    assert report.intact
    assert report.links == len(records)
    assert report.head == links[-1].entry_hash


@given(records_strategy, st.data())
def test_a_changed_record_breaks_at_its_own_link(records: list[dict[str, Any]], data: Any) -> None:
    links, stored = _build(records)
    target = data.draw(st.integers(1, len(records)))
    stored[target] = dict(stored[target], serial=str(stored[target].get("serial", "")) + "x")
    report = _verify(links, stored)
    assert report.broken is not None
    assert report.broken.seq == target
    assert "changed" in report.broken.problem


@given(records_strategy, st.data())
def test_a_changed_byte_in_a_link_is_detected(records: list[dict[str, Any]], data: Any) -> None:
    links, stored = _build(records)
    target = data.draw(st.integers(0, len(links) - 1))
    sha = links[target].record_sha256
    flipped = ("1" if sha[0] == "0" else "0") + sha[1:]
    links[target] = dataclasses.replace(links[target], record_sha256=flipped)
    report = _verify(links, stored)
    assert report.broken is not None
    assert report.broken.seq == target + 1


@given(records_strategy, st.data())
def test_a_removed_link_is_detected(records: list[dict[str, Any]], data: Any) -> None:
    links, stored = _build(records)
    target = data.draw(st.integers(0, len(links) - 2))
    del links[target]
    report = _verify(links, stored)
    assert report.broken is not None
    assert report.broken.seq == target + 1


@given(records_strategy, st.data())
def test_reordered_links_are_detected(records: list[dict[str, Any]], data: Any) -> None:
    links, stored = _build(records)
    first = data.draw(st.integers(0, len(links) - 2))
    links[first], links[first + 1] = links[first + 1], links[first]
    report = _verify(links, stored)
    assert report.broken is not None
    assert report.broken.seq == first + 1


def test_a_missing_or_changed_file_is_detected() -> None:
    record = {"id": 1, "file_sha256s": ["a" * 64]}
    link = chain.next_link(None, "unit", 1, chain.record_hash(record))
    report = chain.verify([link], lambda _t, _i: record, lambda _sha: False)
    assert report.broken is not None
    assert "file" in report.broken.problem


def _rewrite_from(
    links: list[chain.Link], stored: dict[int, dict[str, Any]], start: int
) -> list[chain.Link]:
    """What someone with write access could do: change record ``start`` and re-link every
    link after it, so the chain holds on its own."""
    stored[start] = dict(stored[start], serial="forged")
    rewritten = links[: start - 1]
    for index in range(start, len(links) + 1):
        previous = rewritten[-1] if rewritten else None
        rewritten.append(chain.next_link(previous, "unit", index, chain.record_hash(stored[index])))
    return rewritten


@given(records_strategy, st.data())
def test_a_consistent_rewrite_passes_alone_but_not_against_a_published_head(
    records: list[dict[str, Any]], data: Any
) -> None:
    links, stored = _build(records)
    published = chain.Anchor(links[-1].seq, links[-1].entry_hash)
    start = data.draw(st.integers(min_value=1, max_value=len(links)))
    rewritten = _rewrite_from(links, stored, start)
    assert _verify(rewritten, stored).intact
    report = chain.verify(rewritten, lambda _t, i: stored.get(i), lambda _s: True, [published])
    assert not report.intact
    assert report.broken == chain.Break(published.seq, report.broken.problem)
    assert "rewritten" in report.broken.problem


def test_a_truncated_chain_fails_against_a_later_published_head() -> None:
    links, stored = _build([{"serial": str(n)} for n in range(5)])
    published = [chain.Anchor(2, links[1].entry_hash), chain.Anchor(5, links[4].entry_hash)]
    assert _verify(links[:3], stored).intact  # the missing tail is invisible alone
    report = chain.verify(links[:3], lambda _t, i: stored.get(i), lambda _s: True, published)
    assert report.broken is not None
    assert report.broken.seq == 5
    assert "truncated" in report.broken.problem
    assert chain.verify(links, lambda _t, i: stored.get(i), lambda _s: True, published).intact


def test_the_empty_chains_head_pins_nothing() -> None:
    links, stored = _build([{"serial": "a"}, {"serial": "b"}])
    genesis = chain.Anchor(0, chain.GENESIS)
    assert chain.verify(links, lambda _t, i: stored.get(i), lambda _s: True, [genesis]).intact
