"""The nginx site that keeps every visitor on one replica (benchmarks/replicas.py, deploy/nginx.conf).

Run against Debian's nginx on loopback, in front of two stand-in replicas (small websocket servers that
say which replica they are), so that the balancer's own behaviour is tested in seconds: a cookie set on
the first response, every later request and the websocket with that cookie reaching the same replica,
both replicas used, a dead replica's visitors answered by the other one and nobody else moved, and an
access log that tells all of this. The same class through real Streamlit replicas is measured by
``python -m benchmarks.replicas --class 60``.
"""

from __future__ import annotations

import contextlib
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.replicas import (
    HOST_LOG,
    HOST_PORTS,
    HOST_SITE,
    NGINX,
    STICKY_COOKIE,
    nginx_in,
    replica_history,
    sessions_by_replica,
    site_conf,
    student_key,
)
from tests.browser.harness import free_port

VISITORS = 24

needs_nginx = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is missing (apt-get install -y nginx)")


def test_the_site_for_a_host_is_the_one_measured_on_loopback():
    """deploy/nginx.conf is site_conf's text for the host's ports: `--write-site` rewrites it."""
    expected = site_conf(list(HOST_PORTS), "80", HOST_LOG)
    assert HOST_SITE.read_text(encoding="utf-8") == expected, "python -m benchmarks.replicas --write-site deploy/nginx.conf"
    assert "upgrade" in expected and "/_stcore/stream" in expected and f"$cookie_{STICKY_COOKIE}" in expected


@contextlib.contextmanager
def stand_in_replica(name: str) -> Iterator[tuple[int, object]]:
    """A server on a free port answering every HTTP request with ``name`` and, on /_stcore/stream, a
    websocket that sends ``name``: yields (port, server); server.shutdown() makes it refuse connections."""
    from websockets.sync.server import serve

    def process_request(connection, request):
        if request.path.startswith("/_stcore/stream"):
            return None  # go on with the websocket handshake
        return connection.respond(200, name)

    def on_websocket(websocket):
        websocket.send(name)
        with contextlib.suppress(Exception):
            websocket.recv(timeout=5)

    port = free_port()
    server = serve(on_websocket, "127.0.0.1", port, process_request=process_request)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port, server
    finally:
        server.shutdown()
        thread.join(timeout=10)


def get(url: str, cookie: str | None = None) -> tuple[str, str]:
    """(body, Set-Cookie for the sticky key) of GET ``url``."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
        return response.read().decode(), next((c for c in cookies if c.startswith(STICKY_COOKIE + "=")), "")


def websocket_replica(url: str, cookie: str) -> str:
    from websockets.sync.client import connect

    with connect(url.replace("http://", "ws://") + "/_stcore/stream", additional_headers={"Cookie": cookie},
                 open_timeout=10) as websocket:
        return websocket.recv(timeout=10)


@needs_nginx
def test_every_visitor_stays_on_one_replica_and_a_dead_replicas_visitors_go_to_the_other(tmp_path):
    with stand_in_replica("replica-1") as (port_1, server_1), stand_in_replica("replica-2") as (port_2, _server_2):
        listen = free_port()
        with nginx_in(tmp_path, [port_1, port_2], listen):
            url = f"http://127.0.0.1:{listen}"
            visitors = {}
            for _ in range(VISITORS):
                first, cookie = get(f"{url}/")
                assert cookie, "the first response sets the sticky cookie"
                visitors[cookie] = first
            for cookie, replica in visitors.items():
                assert [get(f"{url}/_stcore/health", cookie)[0] for _ in range(3)] == [replica] * 3
                assert websocket_replica(url, cookie) == replica  # the upgrade is passed on, to the same replica
                assert get(f"{url}/", cookie)[1] == cookie  # the same key comes back: a reload stays too
            on = {name: [c for c, r in visitors.items() if r == name] for name in ("replica-1", "replica-2")}
            assert on["replica-1"] and on["replica-2"], f"one replica got everyone: {visitors}"

            server_1.shutdown()  # replica 1 dies: its port refuses connections
            for cookie in on["replica-1"]:
                assert get(f"{url}/", cookie)[0] == "replica-2"  # answered by the other replica, no error
                assert websocket_replica(url, cookie) == "replica-2"
            for cookie in on["replica-2"]:
                assert get(f"{url}/", cookie)[0] == "replica-2"  # nobody else moved

        log = tmp_path / "access.log"
        replicas_of, keys_of = sessions_by_replica(log)
        history = replica_history(log)
        address = {"replica-1": f"127.0.0.1:{port_1}", "replica-2": f"127.0.0.1:{port_2}"}
        for cookie in on["replica-2"]:
            assert replicas_of[student_key(cookie)] == {address["replica-2"]}
        for cookie in on["replica-1"]:
            assert history[student_key(cookie)] == [address["replica-1"], address["replica-2"]]
        assert set(keys_of) <= set(address.values())
