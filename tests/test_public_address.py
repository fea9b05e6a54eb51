"""The address phones are given (dashboard/shell/public_address.py): configured, else the request's host."""

from __future__ import annotations

import socket

import pytest

from dashboard.shell import public_address as pa


def test_the_request_s_host_is_the_base_less_the_page_s_own_path() -> None:
    assert pa.base_url("http://10.0.0.5:8501/room?room=ABC", "room", {}).url == "http://10.0.0.5:8501"
    assert pa.base_url("https://x.org/nt/timeline/", "timeline", {}).url == "https://x.org/nt"
    assert pa.base_url("https://x.org/nt/", "overview", {}).url == "https://x.org/nt"  # home at "/"
    assert pa.base_url(None, "room", {}) == pa.Base(None)


def test_nt_public_url_wins_over_the_request() -> None:
    env = {pa.ENV: " https://class.example.org/nt/ "}
    assert pa.base_url("http://127.0.0.1:8501/room", "room", env).url == "https://class.example.org/nt"
    assert pa.base_url(None, "room", env).url == "https://class.example.org/nt"  # no browser needed


@pytest.mark.parametrize("value", ["class.example.org", "ftp://x.org", "https://", "https://x.org/?a=1"])
def test_a_bad_nt_public_url_is_ignored_and_named(value: str) -> None:
    base = pa.base_url("http://10.0.0.5:8501/room", "room", {pa.ENV: value})
    assert base.url == "http://10.0.0.5:8501"
    assert base.problem and pa.ENV in base.problem and repr(value) in base.problem


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8501/room", True),
        ("http://127.1.2.3/", True),
        ("http://localhost:8501/", True),
        ("http://app.localhost/", True),
        ("http://[::1]:8501/", True),
        ("http://0.0.0.0:8501/", True),
        ("http://192.168.1.20:8501/room", False),
        ("https://class.example.org/", False),
    ],
)
def test_loopback_addresses_are_told_apart(url: str, loopback: bool) -> None:
    assert pa.is_loopback(url) is loopback


def test_the_lan_address_comes_from_the_route_and_never_is_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    found = pa.lan_address()
    assert found is None or not pa.is_loopback(f"http://{found}/")

    class NoRoute:
        def __init__(self, *args: object) -> None: ...
        def __enter__(self) -> NoRoute:
            return self

        def __exit__(self, *args: object) -> None: ...
        def connect(self, address: object) -> None:
            raise OSError("Network is unreachable")

    monkeypatch.setattr(socket, "socket", NoRoute)
    assert pa.lan_address() is None


def test_with_host_keeps_port_path_and_query() -> None:
    assert pa.with_host("http://127.0.0.1:8501/room?room=AB", "10.1.2.3") == "http://10.1.2.3:8501/room?room=AB"
    assert pa.with_host("http://localhost/room", "10.1.2.3") == "http://10.1.2.3/room"
