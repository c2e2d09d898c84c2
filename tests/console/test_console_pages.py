"""Console pages over real data: every page in both languages, scoping, paging, live counts."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.console.console_data import (
    EVIDENCE_TEXT,
    LATE_TRACKING,
    RETURN_TRACKING,
    REVIEW_TEXT,
    ConsoleData,
)
from tradeshield.cases.policy import load_policy
from tradeshield.console import metrics
from tradeshield.console.navigation import NAV
from tradeshield.console.pages import cases as case_pages

NOT_BUILT = {"en": "Not built yet.", "zh": "尚未建成。"}
# The ten capabilities; the dashboard and the case list are not capabilities of their own.
CAPABILITY_PAGES = [item.path for item in NAV if item.path not in ("/console/", "/console/cases")]
# Capabilities whose pages are built: they no longer say "not built yet".
BUILT_PAGES = {"/console/returns", "/console/integrity"}


def _expected_on(path: str, data: ConsoleData) -> str:
    """A piece of the tenant's data that the page must show."""
    return {
        "/console/": "/console/dashboard/counts",
        "/console/cases": f"/console/cases/{data.returning_case_id}",
        "/console/forensics": EVIDENCE_TEXT,
        "/console/returns": RETURN_TRACKING,
        "/console/rules": load_policy().version,
        "/console/rectification": REVIEW_TEXT,
        "/console/integrity": "buyer-",
        "/console/experience": data.market.merchant.name,
        "/console/alerts": data.market.product.sku,
        "/console/logistics": LATE_TRACKING,
        "/console/assistant": f"/console/cases/{data.waiting_case_id}",
        "/console/support": data.market.keys.scope.actor,
    }[path]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("path", [item.path for item in NAV])
def test_every_menu_page_shows_its_data_in_both_languages(
    operator_client: TestClient, console_data: ConsoleData, path: str, language: str
) -> None:
    operator_client.cookies.set("lang", language)
    answer = operator_client.get(path)
    assert answer.status_code == 200
    html = answer.text
    assert f'<html lang="{"zh-CN" if language == "zh" else "en"}">' in html
    assert _expected_on(path, console_data) in html
    assert f'href="{path}" aria-current="page"' in html
    if path in CAPABILITY_PAGES and path not in BUILT_PAGES:
        assert NOT_BUILT[language] in html


def test_menu_has_the_dashboard_cases_and_the_ten_capabilities() -> None:
    assert len(NAV) == 12
    assert len({item.path for item in NAV}) == 12
    assert len(CAPABILITY_PAGES) == 10


def test_switching_language_changes_the_text_and_returns_to_the_page(
    operator_client: TestClient,
) -> None:
    answer = operator_client.get("/console/lang/zh?next=%2Fconsole%2Fcases", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/cases"
    chinese = operator_client.get("/console/cases").text
    assert "<h1>售后单</h1>" in chinese
    assert "待商家处理" in chinese
    operator_client.get("/console/lang/en?next=%2Fconsole%2Fcases")
    english = operator_client.get("/console/cases").text
    assert "<h1>Cases</h1>" in english
    assert "Awaiting merchant" in english


@pytest.mark.parametrize(
    ("header", "heading"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "概览"),
        ("zh-TW", "概览"),
        ("en-GB,en", "Dashboard"),
        ("fr-FR, de;q=0.5", "Dashboard"),
        ("fr, zh-HK;q=0.4", "概览"),
    ],
)
def test_language_defaults_from_accept_language(
    operator_client: TestClient, header: str, heading: str
) -> None:
    answer = operator_client.get("/console/", headers={"Accept-Language": header})
    assert f"<h1>{heading}</h1>" in answer.text


def test_language_cookie_wins_over_accept_language(operator_client: TestClient) -> None:
    operator_client.cookies.set("lang", "en")
    answer = operator_client.get("/console/", headers={"Accept-Language": "zh-CN"})
    assert "<h1>Dashboard</h1>" in answer.text


@pytest.mark.parametrize(
    ("language", "reason"),
    [("en", "The merchant accepted the buyer"), ("zh", "商家已同意买家的售后申请。")],
)
def test_case_page_shows_the_ruling_reasons_in_the_reader_language(
    operator_client: TestClient, console_data: ConsoleData, language: str, reason: str
) -> None:
    operator_client.cookies.set("lang", language)
    html = operator_client.get(f"/console/cases/{console_data.resolved_case_id}").text
    assert reason in html
    assert ("Full refund" if language == "en" else "全额退款") in html


def test_case_page_shows_facts_deadline_actions_evidence_and_timeline(
    operator_client: TestClient, console_data: ConsoleData
) -> None:
    operator_client.cookies.set("lang", "en")
    waiting = operator_client.get(f"/console/cases/{console_data.waiting_case_id}").text
    assert "CNY 59.90" in waiting
    assert "overdue by" in waiting
    assert "Merchant accepts" in waiting
    assert EVIDENCE_TEXT in waiting
    assert "Case opened" in waiting
    returning = operator_client.get(f"/console/cases/{console_data.returning_case_id}").text
    assert RETURN_TRACKING in returning
    assert "Awaiting return" in returning
    assert "Return in transit" in returning


def test_merchant_key_cannot_open_another_shops_case(
    merchant_client: TestClient, console_data: ConsoleData
) -> None:
    merchant_client.cookies.set("lang", "en")
    answer = merchant_client.get(f"/console/cases/{console_data.other_shop_case_id}")
    assert answer.status_code == 403
    assert "Not yours to see" in answer.text
    assert f"Case {console_data.other_shop_case_id}" not in answer.text


def test_merchant_key_lists_only_its_own_shop(
    merchant_client: TestClient, console_data: ConsoleData
) -> None:
    html = merchant_client.get("/console/cases").text
    assert f'/console/cases/{console_data.waiting_case_id}"' in html
    assert f'/console/cases/{console_data.other_shop_case_id}"' not in html
    assert merchant_client.get(f"/console/cases/{console_data.waiting_case_id}").status_code == 200


@pytest.mark.parametrize("path", ["/console/integrity", "/console/support"])
def test_merchant_key_is_told_why_tenant_wide_pages_are_empty(
    merchant_client: TestClient, path: str
) -> None:
    merchant_client.cookies.set("lang", "en")
    answer = merchant_client.get(path)
    assert answer.status_code == 200
    assert "platform keys only" in answer.text


def test_dashboard_counts_refresh_through_htmx(
    operator_client: TestClient, console_data: ConsoleData
) -> None:
    operator_client.cookies.set("lang", "en")
    partial = operator_client.get("/console/dashboard/counts").text
    assert partial.lstrip().startswith('<section id="live-counts"')
    assert 'hx-trigger="every 10s"' in partial
    assert "<html" not in partial
    figures = dict(
        (label, value)
        for value, label in re.findall(
            r'card-value">([^<]+)</span>\s*<span class="card-label">([^<]+)<', partial
        )
    )
    assert figures == {
        "Open cases": "3",  # waiting, returning, and the other shop's
        "Open cases past their deadline": "2",  # the two opened weeks ago awaiting merchants
        "Return parcels in transit": "1",
        "Undelivered parcels past their promised date": "1",
        "Evidence items": "1",
        "Jobs running": "0",
    }
    assert "cases.sweep_deadlines" in partial


def test_a_count_that_reaches_the_cap_says_at_least(
    operator_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metrics, "CAP", 1)
    partial = operator_client.get("/console/dashboard/counts").text
    assert '<span class="card-value">1+</span>' in partial


def test_next_links_page_through_every_case_once(
    operator_client: TestClient, console_data: ConsoleData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_pages, "PAGE_SIZE", 1)
    seen: list[int] = []
    url: str | None = "/console/cases"
    while url is not None:
        html = operator_client.get(url).text
        seen += [int(i) for i in re.findall(r'href="/console/cases/(\d+)"', html)]
        found = re.search(r'href="([^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert len(seen) == len(set(seen)) == 4
    assert console_data.other_shop_case_id in seen


def test_state_filter_narrows_the_case_list(
    operator_client: TestClient, console_data: ConsoleData
) -> None:
    html = operator_client.get("/console/cases?state=resolved").text
    assert f'href="/console/cases/{console_data.resolved_case_id}"' in html
    assert f'href="/console/cases/{console_data.waiting_case_id}"' not in html


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/console/cases/999999", 404),
        ("/console/cases?cursor=nonsense", 422),
        ("/console/cases?state=bogus", 422),
    ],
)
def test_errors_are_pages_not_problem_json(
    operator_client: TestClient, path: str, status: int
) -> None:
    answer = operator_client.get(path)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert 'id="nav"' in answer.text


def test_pages_use_only_local_assets_and_they_all_exist(operator_client: TestClient) -> None:
    html = operator_client.get("/console/").text
    assets = re.findall(r'(?:src|href)="([^"#]+)"', html)
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    static = [a for a in assets if a.startswith("/console/static/")]
    assert "/console/static/vendor/htmx-2.0.4.min.js" in static
    assert '<link rel="icon"' in html
    for asset in static:
        assert operator_client.get(asset).status_code == 200, asset


def test_pages_are_not_cached_and_refuse_foreign_scripts(operator_client: TestClient) -> None:
    answer = operator_client.get("/console/")
    assert answer.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in answer.headers["content-security-policy"]
