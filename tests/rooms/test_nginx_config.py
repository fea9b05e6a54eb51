"""The shipped nginx configuration (deploy/nginx.conf) is one nginx accepts, and it keeps what
scaling out needs: cookie stickiness, websocket upgrades, a long read timeout, two app servers.

Runs ``nginx -t`` with a prefix of its own under the test's temporary folder, so no system nginx
and no root are needed. Without nginx installed the syntax check is skipped, unless
REQUIRE_NGINX=1 (CI), where a missing nginx is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"


def _directives() -> str:
    """The file without its comments, so a directive in a comment does not count."""
    return "\n".join(line.split("#", 1)[0] for line in CONF.read_text(encoding="utf-8").splitlines())


def test_nginx_accepts_the_shipped_config(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if nginx is None:
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail("REQUIRE_NGINX=1 but nginx is not installed (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx); REQUIRE_NGINX=1 makes this a failure")
    for sub in ("logs", "tmp"):
        (tmp_path / sub).mkdir()
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(CONF), "-e", str(tmp_path / "logs" / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_config_is_sticky_by_cookie_and_proxies_websockets() -> None:
    conf = _directives()
    upstream = re.search(r"upstream\s+(\w+)\s*\{(.*?)\}", conf, re.S)
    assert upstream, "no upstream block"
    name, body = upstream.groups()
    assert re.search(r"^\s*hash\s+\$nt_route\s+consistent;", body, re.M), "not hashed on the route cookie"
    assert "ip_hash" not in conf  # a school behind one NAT address would all land on one server
    assert len(re.findall(r"^\s*server\s+\S+", body, re.M)) >= 2
    assert re.search(r"map\s+\$cookie_nt_route\s+\$nt_route\s*\{", conf)
    assert re.search(r"add_header\s+Set-Cookie\s+\$nt_route_cookie;", conf)
    assert f"proxy_pass http://{name};" in conf
    assert re.search(r"proxy_http_version\s+1\.1;", conf)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade;", conf)
    assert re.search(r"proxy_set_header\s+Connection\s+\$connection_upgrade;", conf)
    timeout = re.search(r"proxy_read_timeout\s+(\d+)([smh]?);", conf)
    assert timeout, "no proxy_read_timeout: nginx would cut an idle websocket after 60 s"
    seconds = int(timeout.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[timeout.group(2)]
    assert seconds >= 3600
