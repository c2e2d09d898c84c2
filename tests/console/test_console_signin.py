"""Signing in to the console with an API key, signing out, and the sign-in cookie."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from fastapi.testclient import TestClient

from tests.console.console_data import ConsoleData, sign_in
from tradeshield.console import auth_cookie
from tradeshield.tenancy.service import public_id

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def test_signed_out_page_redirects_to_sign_in_and_remembers_where_to(
    app_client: TestClient,
) -> None:
    answer = app_client.get("/console/cases?state=resolved", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login?next=%2Fconsole%2Fcases%3Fstate%3Dresolved"


@pytest.mark.usefixtures("console_data")
def test_signed_out_htmx_refresh_asks_htmx_to_load_the_sign_in_page(
    app_client: TestClient,
) -> None:
    answer = app_client.get("/console/dashboard/counts", headers={"HX-Request": "true"})
    assert answer.status_code == 401
    assert answer.headers["HX-Redirect"].startswith("/console/login")


def test_good_key_sets_a_strict_httponly_cookie_and_goes_to_the_dashboard(
    app_client: TestClient, console_data: ConsoleData
) -> None:
    answer = app_client.post(
        "/console/login", data={"api_key": console_data.operator_key}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{auth_cookie.COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/console" in cookie
    assert app_client.get("/console/").status_code == 200


def test_sign_in_returns_to_the_page_asked_for(
    app_client: TestClient, console_data: ConsoleData
) -> None:
    answer = app_client.post(
        "/console/login",
        data={"api_key": console_data.operator_key, "target": "/console/returns"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/console/returns"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/v1/cases", "/consolex", "/console\\\\evil"],
)
def test_sign_in_never_redirects_off_the_console(
    app_client: TestClient, console_data: ConsoleData, target: str
) -> None:
    answer = app_client.post(
        "/console/login",
        data={"api_key": console_data.operator_key, "target": target},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/console/"


@pytest.mark.usefixtures("console_data")
@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "That API key was not accepted"), ("zh", "该 API 密钥未通过验证")],
)
def test_wrong_key_shows_the_sign_in_page_again_with_401_in_the_reader_language(
    app_client: TestClient, language: str, message: str
) -> None:
    app_client.cookies.set("lang", language)
    answer = app_client.post("/console/login", data={"api_key": "ts_nothere_wrongsecret"})
    assert answer.status_code == 401
    assert message in answer.text
    assert auth_cookie.COOKIE not in answer.headers.get("set-cookie", "")


def test_sign_out_forgets_the_key(app_client: TestClient, console_data: ConsoleData) -> None:
    sign_in(app_client, console_data.operator_key)
    answer = app_client.post("/console/logout", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login"
    assert app_client.get("/console/", follow_redirects=False).status_code == 303


def test_edited_cookie_is_refused(app_client: TestClient, console_data: ConsoleData) -> None:
    sealed = auth_cookie.seal(public_id(console_data.operator_key), dt.datetime.now(dt.UTC))
    app_client.cookies.set(auth_cookie.COOKIE, sealed[:-2] + "xx", path="/console")
    assert app_client.get("/console/", follow_redirects=False).status_code == 303


def test_sealed_key_opens_within_max_age_only() -> None:
    sealed = auth_cookie.seal("abc123", NOW)
    assert auth_cookie.unseal(sealed, NOW + auth_cookie.MAX_AGE) == "abc123"
    assert auth_cookie.unseal(sealed, NOW + auth_cookie.MAX_AGE + dt.timedelta(seconds=1)) is None


@pytest.mark.parametrize("value", [None, "", "garbage", "v1.a.b.c", "v2.dHM.1795597313.sig"])
def test_anything_but_a_sealed_key_unseals_to_nothing(value: str | None) -> None:
    assert auth_cookie.unseal(value, NOW) is None


def test_cookie_never_carries_the_api_secret(
    app_client: TestClient, console_data: ConsoleData
) -> None:
    response = app_client.post(
        "/console/login", data={"api_key": console_data.operator_key}, follow_redirects=False
    )
    cookie = response.cookies[auth_cookie.COOKIE]
    secret = console_data.operator_key.split("_", 2)[2]
    assert secret not in cookie
    assert secret not in base64.urlsafe_b64decode(cookie.split(".")[1] + "==").decode()
