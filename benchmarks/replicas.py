"""N Streamlit replicas of app.py behind nginx (Debian's package), on this machine's loopback.

    python -m benchmarks.replicas --replicas 2 [--port 8080]      # run until Ctrl-C
    python -m benchmarks.replicas --write-site deploy/nginx.conf   # the same site for a real host

Starts the replicas on free local ports with one shared ``server.cookieSecret`` (a fresh random one,
passed in the environment, not on a command line that ``ps`` shows), waits until each answers
``/_stcore/health``, writes an nginx configuration into a temporary folder and runs nginx there as the
current user on a free port (or ``--port``), prints the URL, reports a replica that stops answering,
and stops everything on Ctrl-C.

What the configuration does (:func:`site_conf`, shared with deploy/nginx.conf so that they cannot drift):

- **Sticky sessions by cookie.** A Streamlit session lives in one replica's memory, so every request
  of a visitor, above all the websocket, must reach the same replica. nginx hashes a cookie of its own
  (``rnnlab_replica``), set on the first response to a random value. Not ``ip_hash``: a class behind
  one school address (NAT) would all land on one replica, and on loopback every client is 127.0.0.1.
- **Websocket upgrade** on ``/_stcore/stream``, with timeouts long enough for a lecture.
- **Health**: nginx (open source) only checks passively: a replica that refuses connections is skipped
  for ``fail_timeout`` and its visitors are hashed to another replica (where they get a new session).
  Each replica's ``/_stcore/health`` is what a monitor (this script, or systemd on a host) watches.
- An access log that names the replica of every request, by visitor cookie, so that a run can check
  that no session moved (:func:`sessions_by_replica`).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.browser.harness import APP, REPO_ROOT, Server, free_port, stop_process, streamlit_server

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STICKY_COOKIE = "rnnlab_replica"
HOST_SITE = REPO_ROOT / "deploy" / "nginx.conf"
HOST_PORTS = (8501, 8502)  # deploy/rnnlab@.service: one systemd unit per replica, rnnlab@8501, rnnlab@8502
HOST_LOG = "/var/log/nginx/rnnlab.access.log"
HEALTH_EVERY_S = 5.0
NGINX_START_LIMIT_S = 30.0

SITE_TEMPLATE = """\
# RNN Lab behind nginx: {count} Streamlit replicas of app.py, every visitor kept on one of them.
# Written by `python -m benchmarks.replicas --write-site` (benchmarks/replicas.py, site_conf): the
# loopback run of that command uses this same text, so what is measured is what is deployed.
# On a host: copy to /etc/nginx/conf.d/rnnlab.conf (it belongs inside nginx's http block), start the
# replicas (deploy/rnnlab@.service; README.md, "Running replicas behind nginx"), then
# `nginx -t && systemctl reload nginx`.

# Sticky sessions. A visitor's Streamlit session (widget state, a live run, its place in the Compare
# lab's line) lives in one replica's memory, so each of their requests, the websocket above all, must
# reach that replica. nginx keys the choice on a cookie of its own: a first request has none and gets
# a random key ($request_id), which is sent back as the cookie and hashed to the same replica again on
# every later request. Not ip_hash: a class behind one school address (NAT) would all go to one replica.
map $cookie_{cookie} $rnnlab_replica_key {{
    ""      $request_id;
    default $cookie_{cookie};
}}

# The websocket (/_stcore/stream) needs the Upgrade handshake passed on; other requests keep a plain
# keep-alive connection to the replica.
map $http_upgrade $rnnlab_connection {{
    default upgrade;
    ""      "";
}}

# Which replica answered which visitor: a run can check that no session moved (benchmarks/replicas.py).
log_format rnnlab '$time_iso8601 $rnnlab_replica_key $upstream_addr $status "$request" $request_time';

upstream rnnlab {{
    # The same key always picks the same replica (a dead replica's visitors are hashed to another one).
    # Not "consistent": on 2 replicas its ring split 60 visitors 42 / 18; plain hashing splits them evenly.
    hash $rnnlab_replica_key;
    # Passive health checks (open-source nginx has no active ones): a replica that refuses a connection
    # is left out for 10 s and its visitors are hashed to another one, where they get a new session.
{servers}
    keepalive 16;
}}

server {{
    listen {listen};
    access_log {access_log} rnnlab;
    # Sent on every response; a browser keeps it for the session, so a reload stays on its replica.
    add_header Set-Cookie "{cookie}=$rnnlab_replica_key; Path=/; HttpOnly; SameSite=Lax" always;

    location / {{
        proxy_pass http://rnnlab;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_next_upstream error timeout http_502 http_503;
    }}

    # The session's websocket: upgraded, and kept open through a lecture (a tab left open for hours).
    location /_stcore/stream {{
        proxy_pass http://rnnlab;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $rnnlab_connection;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_read_timeout 1d;
        proxy_send_timeout 1d;
        proxy_buffering off;
    }}
}}
"""

MAIN_TEMPLATE = """\
# nginx as the current user in a temporary folder (benchmarks/replicas.py); the site part is
# deploy/nginx.conf's text with this run's ports.
{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{site}
}}
"""


def site_conf(ports: Sequence[int], listen: str, access_log: str) -> str:
    """The nginx site (the part inside ``http {}``) for replicas on ``ports`` of 127.0.0.1."""
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in ports)
    return SITE_TEMPLATE.format(count=len(ports), cookie=STICKY_COOKIE, servers=servers, listen=listen,
                                access_log=access_log)


def loopback_conf(ports: Sequence[int], listen_port: int, folder: Path) -> str:
    """A whole nginx.conf that runs from ``folder`` as this user, listening on 127.0.0.1:``listen_port``."""
    site = site_conf(ports, f"127.0.0.1:{listen_port}", str(folder / "access.log"))
    site = "\n".join(f"    {line}" if line else "" for line in site.splitlines())
    # As root, nginx's workers would switch to "nobody" and could not write this folder: stay root then.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return MAIN_TEMPLATE.format(user=user, folder=folder, site=site)


# -- running it ----------------------------------------------------------------------------------------


@dataclass
class Balanced:
    """Replicas behind nginx: ``url`` is nginx's; ``replicas`` the Streamlit servers behind it."""

    url: str
    replicas: list[Server]
    nginx: subprocess.Popen
    folder: Path

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def port_of(self, replica: Server) -> int:
        return int(replica.url.rsplit(":", 1)[1])


def wait_for_nginx(url: str, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + NGINX_START_LIMIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}: {(folder / 'error.log').read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nginx did not answer within {NGINX_START_LIMIT_S:.0f} s")


@contextlib.contextmanager
def nginx_in(folder: Path, ports: Sequence[int], listen_port: int) -> Iterator[subprocess.Popen]:
    conf = folder / "nginx.conf"
    conf.write_text(loopback_conf(ports, listen_port, folder), encoding="utf-8")
    command = [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the configuration:\n{check.stderr}")
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    try:
        wait_for_nginx(f"http://127.0.0.1:{listen_port}", process, folder)
        yield process
    finally:
        stop_process(process, timeout=10)


@contextlib.contextmanager
def balanced_replicas(count: int = 2, listen_port: int | None = None,
                      extra_args: Sequence[str] = ()) -> Iterator[Balanced]:
    """``count`` replicas of app.py sharing one cookie secret, behind nginx on 127.0.0.1; all stopped on exit."""
    if not Path(NGINX).exists():
        raise RuntimeError("nginx is missing: `apt-get install -y nginx` (Debian's package)")
    secret = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}  # one for all: any replica reads any cookie
    with tempfile.TemporaryDirectory(prefix="rnnlab-replicas-") as name, contextlib.ExitStack() as stack:
        folder = Path(name)
        replicas = [stack.enter_context(streamlit_server(APP, log=folder / f"replica-{k + 1}.log",
                                                         extra_args=extra_args, env=secret))
                    for k in range(count)]
        listen_port = listen_port or free_port()
        ports = [int(server.url.rsplit(":", 1)[1]) for server in replicas]
        nginx = stack.enter_context(nginx_in(folder, ports, listen_port))
        yield Balanced(f"http://127.0.0.1:{listen_port}", replicas, nginx, folder)


def sessions_by_replica(access_log: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """From nginx's log: visitor key -> the replicas that served its requests, and replica -> the keys.

    A key with more than one replica is a visitor whose session moved (it lost its state), unless its
    replica died. nginx writes a websocket's line when it closes.
    """
    replicas_of: dict[str, set[str]] = defaultdict(set)
    keys_of: dict[str, set[str]] = defaultdict(set)
    if not access_log.exists():
        return {}, {}
    for line in access_log.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split(" ", 5)
        if len(parts) < 6 or not parts[3].isdigit():
            continue
        key, upstream = parts[1], parts[2]
        for address in upstream.split(", "):  # "a, b" when nginx tried one replica, then another
            if address not in ("-", ""):
                replicas_of[key].add(address)
                keys_of[address].add(key)
    return dict(replicas_of), dict(keys_of)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def serve_until_interrupted(count: int, listen_port: int | None) -> None:
    with balanced_replicas(count, listen_port) as balanced:
        print(f"RNN Lab on {balanced.url}/ : {count} replicas behind nginx (as {getpass.getuser()}), "
              f"config and logs in {balanced.folder}")
        for k, replica in enumerate(balanced.replicas, 1):
            print(f"  replica {k}: {replica.url} (pid {replica.pid})")
        print("Ctrl-C stops nginx and the replicas.")
        state = {replica.url: True for replica in balanced.replicas}
        try:
            while True:
                time.sleep(HEALTH_EVERY_S)
                for replica in balanced.replicas:
                    now = replica.process.poll() is None and healthy(replica.url)
                    if now != state[replica.url]:
                        print(f"{time.strftime('%H:%M:%S')} replica {replica.url} "
                              f"{'answers /_stcore/health again' if now else 'stopped answering'}", flush=True)
                        state[replica.url] = now
        except KeyboardInterrupt:
            print("stopping")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=None, help="nginx's port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--class", dest="students", type=int, default=None, metavar="N",
                        help="run a class of N websocket sessions through the balancer, print it, stop")
    parser.add_argument("--kill-after", type=float, default=None, help="with --class: SIGKILL replica 1 after S s")
    parser.add_argument("--write-site", type=Path, default=None, metavar="PATH",
                        help=f"write the site for a host (replicas on {', '.join(map(str, HOST_PORTS))}...) and exit")
    args = parser.parse_args()
    if args.write_site:
        ports = [HOST_PORTS[0] + k for k in range(args.replicas)]
        args.write_site.write_text(site_conf(ports, "80", HOST_LOG), encoding="utf-8")
        print(f"wrote {args.write_site}")
        return
    if args.students:
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        result = measure_class(args.replicas, args.students, kill_after=args.kill_after)
        for name, value in class_rows(result):
            print(f"| {name} | {value} |")
        for error in result.load.errors[:20]:
            print(f"ERROR {error}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return
    serve_until_interrupted(args.replicas, args.port)



# -- a class through the balancer -------------------------------------------------------------------------


def replica_history(access_log: Path) -> dict[str, list[str]]:
    """Visitor key -> the replicas that served it, in the order of nginx's log (a change is a move)."""
    history: dict[str, list[str]] = defaultdict(list)
    if access_log.exists():
        for line in access_log.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split(" ", 5)
            if len(parts) < 6 or not parts[3].isdigit():
                continue
            for address in parts[2].split(", "):
                if address not in ("-", "") and (not history[parts[1]] or history[parts[1]][-1] != address):
                    history[parts[1]].append(address)
    return dict(history)


@dataclass
class ReplicaClass:
    """A class through nginx: the class's own result, and what each replica held and served."""

    replicas: int
    load: object  # benchmarks.class_load.ClassResult
    sessions: dict[str, int]  # replica address -> visitors (cookie keys) it served
    peak_rss_mb: dict[str, float]  # replica address -> the server's peak RSS during the class
    end_memory_mb: dict[str, tuple[float, float]]  # replica address -> (RSS, PSS) of server + worker at the end
    moved: list[str]  # visitors served by two replicas although their first one never died
    killed: str | None = None  # the replica killed mid-class
    on_killed: list[int] = None  # students that were on it
    errors_elsewhere: list[str] = None  # errors of students on the other replicas


def student_key(cookie: str) -> str:
    return cookie.split(f"{STICKY_COOKIE}=", 1)[1].split(";", 1)[0] if f"{STICKY_COOKIE}=" in cookie else ""


def measure_class(replicas: int = 2, students: int = 60, comparisons: int = 5, edits: int = 3,
                  kill_after: float | None = None, seed: int = 0) -> ReplicaClass:
    """The class of benchmarks/class_load.py (websocket sessions, each with a browser's cookies) through
    nginx to ``replicas`` replicas; ``kill_after``: SIGKILL the first replica that many seconds in."""
    import signal
    import threading

    from benchmarks import class_load
    from tests.browser.harness import RssSampler, family_memory_mb, run_async

    with balanced_replicas(replicas) as balanced:
        for replica in balanced.replicas:  # the lecturer opens the pages on each replica before class
            run_async(class_load.warm_up(replica.url))
        address = {replica.pid: f"127.0.0.1:{balanced.port_of(replica)}" for replica in balanced.replicas}
        samplers = {replica.pid: RssSampler(replica.pid).__enter__() for replica in balanced.replicas}
        victim = balanced.replicas[0]
        timer = None
        if kill_after is not None:
            timer = threading.Timer(kill_after, lambda: os.kill(victim.pid, signal.SIGKILL))
            timer.start()
        try:
            load = run_async(class_load.run_class(balanced.url, students, 0, comparisons, edits, None,
                                                  class_load.RAMP_S, seed, None, class_load.THINK_S,
                                                  cookies=True, reconnect=kill_after is not None))
        finally:
            if timer is not None:
                timer.cancel()
            for sampler in samplers.values():
                sampler.__exit__(None, None, None)
        end_memory = {address[r.pid]: family_memory_mb(r.pid) for r in balanced.replicas if r.process.poll() is None}
        time.sleep(1.0)  # nginx logs a websocket when it closes
        history = replica_history(balanced.access_log)
        killed = address[victim.pid] if kill_after is not None else None
    keys = {student: student_key(cookie) for student, cookie in load.cookies.items()}
    sessions: dict[str, int] = defaultdict(int)
    for key in keys.values():  # the students' keys only (nginx's own start-up check has one too)
        for replica_address in set(history.get(key, [])):
            sessions[replica_address] += 1
    moved = [key for key, served in history.items() if len(served) > 1 and served[0] != killed
             and key in keys.values()]
    result = ReplicaClass(replicas, load, dict(sessions), {address[pid]: s.peak for pid, s in samplers.items()},
                          end_memory, moved, killed)
    if killed is not None:
        result.on_killed = sorted(s for s, key in keys.items() if history.get(key, [None])[0] == killed)
        result.errors_elsewhere = [e for e in load.errors
                                   if not any(f"student {s}:" in e or f"comparison {s}:" in e for s in result.on_killed)]
    return result


def class_rows(result: ReplicaClass) -> list[tuple[str, str]]:
    """The rows run_all.py and the command print for a class through the balancer."""
    from tests.browser.harness import percentile

    load = result.load
    ms = [x * 1000 for x in load.latencies]
    order = sorted(result.sessions)
    rows = [
        (f"sessions over {result.replicas} replicas (of which comparing)",
         f"{load.students} ({load.comparisons}); per replica " + " / ".join(str(result.sessions[a]) for a in order)),
        ("edit latency, websocket sessions: n, p50 / p95 / max ms",
         f"{len(ms)}, {percentile(ms, 50):.0f} / {percentile(ms, 95):.0f} / {percentile(ms, 100):.0f}"),
        ("sessions that moved to another replica (lost their state)", str(len(result.moved))),
        ("peak server RSS per replica, MB", " / ".join(f"{result.peak_rss_mb[a]:.0f}" for a in order)),
        ("server + worker at the end, RSS (PSS) MB per replica",
         " / ".join(f"{result.end_memory_mb[a][0]:.0f} ({result.end_memory_mb[a][1]:.0f})"
                    for a in order if a in result.end_memory_mb)),
        ("errors", str(len(load.errors))),
    ]
    if result.killed is not None:
        reconnects = sorted(load.reconnects)
        rows += [
            ("killed mid-class: visitors on that replica / dropped / back with an answered edit",
             f"{len(result.on_killed)} / {len(load.dropped)} / {len(reconnects)}"),
            ("  their drop -> next edit answered on the other replica p50 / max, s",
             f"{percentile(reconnects, 50):.1f} / {percentile(reconnects, 100):.1f}" if reconnects else "–"),
            ("  live runs lost with the replica", str(len(load.training_lost))),
            ("  errors of the other replica's visitors", str(len(result.errors_elsewhere))),
        ]
    rows.append(("wall time, s", f"{load.wall:.0f}"))
    return rows


if __name__ == "__main__":
    main()
