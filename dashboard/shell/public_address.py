"""The address phones are given: the configured public one, else the host the teacher's browser used.

No Streamlit here. A link a phone cannot open (a loopback or ``localhost`` host: the teacher's own
machine) is detected, and the machine's LAN address offered instead where it has one.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

ENV = "NT_PUBLIC_URL"  # e.g. https://class.example.org or http://192.168.1.20:8501 (with any base path)
_PROBE = ("192.0.2.1", 9)  # TEST-NET-1: a UDP connect only picks the route; no packet is sent


@dataclass(frozen=True)
class Base:
    url: str | None  # the app's base address, no trailing slash (None: no browser and nothing configured)
    problem: str | None = None  # what is wrong with the configured address, said where it is set


def configured(environ: Mapping[str, str] = os.environ) -> Base:
    """NT_PUBLIC_URL as a base address, or its problem (an address that is not http(s)://host)."""
    value = environ.get(ENV, "").strip()
    if not value:
        return Base(None)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return Base(None, f"{ENV}={value!r} is not an address like https://class.example.org; it is ignored")
    return Base(urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", "")))


def base_url(request_url: str | None, page_path: str, environ: Mapping[str, str] = os.environ) -> Base:
    """The app's public base: NT_PUBLIC_URL if set (and valid), else the request's address less ``page_path``.

    ``page_path`` is the path of the page the request is on (the app may sit under a prefix).
    """
    set_ = configured(environ)
    if set_.url:
        return set_
    if not request_url:
        return Base(None, set_.problem)
    base = request_url.split("?")[0].split("#")[0].rstrip("/")
    if page_path and base.endswith("/" + page_path):  # the home page may be reached at "/" or at its own path
        base = base[: -len(page_path) - 1]
    return Base(base, set_.problem)


def is_loopback(url: str) -> bool:
    """True if ``url``'s host is this machine only (127.x, ::1, localhost, 0.0.0.0): no phone can open it."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def lan_address() -> str | None:
    """This machine's address on its local network (the interface of its default route), if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)  # UDP: sets the local address from the routing table, sends nothing
            ip = probe.getsockname()[0]
    except OSError:  # no route: no network
        return None
    address = ipaddress.ip_address(ip)
    return None if address.is_loopback or address.is_unspecified else ip


def with_host(url: str, host: str) -> str:
    """``url`` on another host, same scheme, port, path and query."""
    parts = urlsplit(url)
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
