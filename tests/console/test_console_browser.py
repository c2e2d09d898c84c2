"""The console in a real browser: Debian's Chromium driven by Playwright against uvicorn.

Run with ``pytest tests/console -m browser``. Fails on any console error, failed request
or response of 400 and above; on failure, screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine

from tests.console.console_data import ConsoleData
from tradeshield.app import create_app

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_url(engine: Engine, console_data: ConsoleData) -> Iterator[str]:
    """The console served by uvicorn on a free local port, over the test database."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(create_app(engine), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


class Watch:
    """Collects everything that went wrong in the pages of one browser context."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def attach(self, page: Any) -> Any:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        return page

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _failed(self, request: Any) -> None:
        # Moving to the next page cancels what the last one still loads (often its icon);
        # that is the browser's doing, not a broken link, which would answer 4xx/5xx or refuse.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.method} {request.url} {request.failure}")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@contextmanager
def screenshots_on_failure(pages: list[Any], name: str) -> Iterator[None]:
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, page in enumerate(pages):
            if not page.is_closed():
                page.screenshot(path=str(ARTIFACTS / f"{name}-{number}.png"), full_page=True)
        raise


def _sign_in(page: Any, base: str, key: str) -> None:
    page.goto(f"{base}/console/")
    assert "/console/login" in page.url
    page.fill("#api_key", key)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/console/")


def _heading(page: Any) -> str:
    return str(page.locator("main h1").first.inner_text()).strip()


def _visit_every_menu_page(page: Any, base: str) -> list[str]:
    links = page.locator("#nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(links) == 12
    headings = []
    for href in links:
        answer = page.goto(f"{base}{href}")
        assert answer is not None, href
        assert answer.status == 200, href
        headings.append(_heading(page))
    return headings


def test_console_works_in_chromium_on_a_laptop_and_a_phone(
    browser: Any, live_url: str, console_data: ConsoleData
) -> None:
    desktop = browser.new_context(viewport=DESKTOP, locale="en-US")
    watch = Watch()
    page = watch.attach(desktop.new_page())
    with screenshots_on_failure([page], "console-desktop"):
        _sign_in(page, live_url, console_data.operator_key)
        assert _heading(page) == "Dashboard"
        assert page.evaluate("typeof window.htmx") == "object"
        page.click("a[lang=zh-CN]")
        page.wait_for_selector("html[lang=zh-CN]")
        assert _heading(page) == "概览"
        page.click("a[lang=en]")
        page.wait_for_selector("html[lang=en]")
        assert _heading(page) == "Dashboard"
        # The counts refresh themselves: wait for one htmx poll and its swap.
        with page.expect_response(re.compile(r"/console/dashboard/counts$"), timeout=15_000):
            pass
        assert page.locator("#live-counts .card").count() == 6
        headings = _visit_every_menu_page(page, live_url)
        assert "Merchant risk alerts" in headings
        page.goto(f"{live_url}/console/cases/{console_data.resolved_case_id}")
        assert "The merchant accepted the buyer" in page.inner_text("main")
        page.click("a[lang=zh-CN]")
        page.wait_for_selector("html[lang=zh-CN]")
        assert "商家已同意买家的售后申请。" in page.inner_text("main")
        assert watch.problems == []

    phone = browser.new_context(viewport=PHONE, storage_state=desktop.storage_state())
    small = watch.attach(phone.new_page())
    with screenshots_on_failure([small], "console-phone"):
        for path in ("/console/", f"/console/cases/{console_data.returning_case_id}"):
            small.goto(f"{live_url}{path}")
            assert not small.locator("#nav").is_visible()
            small.click(".menu-toggle")
            assert small.locator("#nav").is_visible()
            assert small.get_attribute(".menu-toggle", "aria-expanded") == "true"
            page_width = small.evaluate("document.documentElement.scrollWidth")
            assert page_width <= PHONE["width"], f"{path} scrolls sideways: {page_width}px"
        _visit_every_menu_page(small, live_url)
        small.click(".signout button")
        small.wait_for_url(re.compile(r"/console/login$"))
        assert watch.problems == []
    phone.close()
    desktop.close()
