#!/usr/bin/env python3
"""Crash campaign: `crier serve` SIGKILLed at random moments while posts arrive.

`crier sandbox` runs in its own process and keeps the ledger of what the
networks published. `crier serve` is an ordinary crier (a config file pointing
every network at the sandbox, an API key and linked accounts made with the
CLI, SQLite in one data dir). Several clients post (mostly immediate posts,
some scheduled a few seconds ahead, each text unique), the sandbox sprays
faults on the publish endpoints (late landings, dropped answers, dropped
requests, 5xx, 429), and crier is SIGKILLed and restarted on the same data dir
`--kills` times. After the last post, every post must settle, and crier's
account of each delivery is checked against the sandbox's ledger:

* duplicates: a post's text published more than once on one network;
* lost: a post crier accepted with a delivery not in a terminal state (or the
  post gone);
* wrong: crier said published but the ledger lacks that id; crier said failed
  (any code but 905), or offered retryAvailable, but the ledger has the post;
  crier refused a post yet the ledger has it; a ledger entry of the campaign
  that belongs to no post crier accepted. 905 (unknown) is right either way.

With `--postgres ADMIN_URL` the store is a fresh PostgreSQL database made for
the run (`crier_campaign_<random>`, dropped at the end unless the work dir is
kept), and `--nodes N` runs N `crier serve` on different loopback ports sharing
it (the same `encryption_key`, one shared media folder): clients spread posts
over the nodes (a request cut off by a kill is sent again to the next node, so
idempotency keys are tried across nodes), each kill picks a node at random, and
the killed node restarts on the same config. Its leased jobs are taken over by
a node only when `engine.lease_secs` has run out (PostgreSQL releases no lease
at start), so the settle wait allows for one lease more.

Python 3 standard library only; traffic stays on 127.0.0.1. Run through
scripts/crash-campaign.sh (which builds crier); `--help` lists the knobs.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

# Networks in the order `--networks N` takes them. The publish endpoint is the
# sandbox's fault name for the call that makes the post visible (every post
# carries one image: Pinterest needs one, and it exercises the media paths).
NETWORKS = [
    ("bluesky", "bluesky", "com.atproto.repo.createRecord",
     {"identifier": "crier.bsky.social", "appPassword": "sand-box0-crie-rapp"}),
    ("linkedin", "linkedin", "posts.create",
     {"accessToken": "AQVcrierSandboxLinkedinToken000000000001", "author": "urn:li:person:crierSbx001"}),
    ("facebook", "facebook", "photos",
     {"pageId": "100000000000001", "accessToken": "EAAsandboxPageToken0000000000000000"}),
    ("pinterest", "pinterest", "pins.create",
     {"accessToken": "pina_crierSandboxPinterestToken000000001", "boardId": "1000000000000000001"}),
    ("telegram", "telegram", "sendPhoto",
     {"botToken": "7000000001:AAcrierSandboxBotToken0000000000000", "chatId": "@crier_sandbox"}),
    ("threads", "threads", "threads_publish",
     {"threadsUserId": "26000000000000001", "accessToken": "THsandboxThreadsToken000000000000000"}),
]

ENDPOINT_KEYS = ["telegram", "bluesky", "facebook", "threads", "twitter", "youtube", "linkedin",
                 "tiktok", "pinterest", "reddit", "gmb", "snapchat"]

# Direct connections only (no proxy from the environment): everything is on loopback.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Fatal(Exception):
    pass


def http(method, url, body=None, headers=None, timeout=30.0):
    """(status, parsed JSON or None, raw text). Raises OSError/URLError on connection trouble."""
    data = None
    h = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=h, method=method)
    try:
        with OPENER.open(req, timeout=timeout) as resp:
            raw = resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        raw = e.read()
        status = e.code
    text = raw.decode("utf-8", "replace")
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    return status, parsed, text


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_line(path, prefix, proc, timeout):
    """The rest of the first line of `path` starting with `prefix`, once the process printed it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if line.startswith(prefix):
                        return line[len(prefix):].strip()
        except FileNotFoundError:
            pass
        if proc.poll() is not None:
            return None
        time.sleep(0.05)
    return None


# ---- PostgreSQL: just enough of the wire protocol to create and drop the run's database ------------


class PgError(Exception):
    pass


def pg_url_parts(url):
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ("postgres", "postgresql"):
        raise PgError(f"not a postgres:// URL: {url}")
    user = urllib.parse.unquote(u.username or "postgres")
    return {"host": u.hostname or "127.0.0.1", "port": u.port or 5432, "user": user,
            "password": urllib.parse.unquote(u.password or ""),
            "database": urllib.parse.unquote(u.path.lstrip("/")) or user}


def pg_with_database(url, name):
    """`url` with its database replaced by `name` (user, password, host and query kept)."""
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + name))


def pg_query(url, sql, timeout=30.0):
    """Runs `sql` with the simple query protocol (no TLS; trust, password, MD5 or SCRAM-SHA-256
    authentication) and returns the rows as lists of text (None for NULL)."""
    c = pg_url_parts(url)
    sock = socket.create_connection((c["host"], c["port"]), timeout=timeout)

    def recv_exact(n):
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise PgError("the server closed the connection")
            buf += chunk
        return buf

    def recv():
        head = recv_exact(5)
        return head[:1], recv_exact(struct.unpack("!I", head[1:])[0] - 4)

    def send(tag, payload):
        sock.sendall(tag + struct.pack("!I", len(payload) + 4) + payload)

    def error_text(data):
        fields = {}
        for part in data.split(b"\0"):
            if part:
                fields[part[:1].decode()] = part[1:].decode("utf-8", "replace")
        return f"{fields.get('S', 'ERROR')} {fields.get('C', '')}: {fields.get('M', '')}"

    try:
        startup = struct.pack("!I", 196608) + b"".join(
            k.encode() + b"\0" + v.encode() + b"\0"
            for k, v in (("user", c["user"]), ("database", c["database"]), ("client_encoding", "UTF8"))) + b"\0"
        sock.sendall(struct.pack("!I", len(startup) + 4) + startup)
        password = c["password"].encode()
        scram = {}
        while True:
            tag, data = recv()
            if tag == b"E":
                raise PgError(error_text(data))
            if tag == b"Z":
                break
            if tag != b"R":
                continue  # ParameterStatus, BackendKeyData, notices
            code = struct.unpack("!I", data[:4])[0]
            if code == 0:
                continue
            if code == 3:  # cleartext
                send(b"p", password + b"\0")
            elif code == 5:  # MD5
                inner = hashlib.md5(password + c["user"].encode()).hexdigest().encode()
                send(b"p", b"md5" + hashlib.md5(inner + data[4:8]).hexdigest().encode() + b"\0")
            elif code == 10:  # SASL: SCRAM-SHA-256 without channel binding
                if b"SCRAM-SHA-256" not in data[4:].split(b"\0"):
                    raise PgError("the server offers no SCRAM-SHA-256")
                scram["nonce"] = base64.b64encode(os.urandom(18)).decode()
                scram["first_bare"] = f"n=,r={scram['nonce']}"
                first = ("n,," + scram["first_bare"]).encode()
                send(b"p", b"SCRAM-SHA-256\0" + struct.pack("!I", len(first)) + first)
            elif code == 11:
                server_first = data[4:].decode()
                attrs = dict(kv.split("=", 1) for kv in server_first.split(","))
                if not attrs["r"].startswith(scram["nonce"]):
                    raise PgError("SCRAM: the server's nonce does not extend ours")
                salted = hashlib.pbkdf2_hmac("sha256", password, base64.b64decode(attrs["s"]), int(attrs["i"]))
                client_key = hmac.new(salted, b"Client Key", "sha256").digest()
                without_proof = f"c=biws,r={attrs['r']}"
                auth = f"{scram['first_bare']},{server_first},{without_proof}".encode()
                signature = hmac.new(hashlib.sha256(client_key).digest(), auth, "sha256").digest()
                proof = bytes(x ^ y for x, y in zip(client_key, signature))
                server_key = hmac.new(salted, b"Server Key", "sha256").digest()
                scram["verifier"] = base64.b64encode(hmac.new(server_key, auth, "sha256").digest()).decode()
                send(b"p", f"{without_proof},p={base64.b64encode(proof).decode()}".encode())
            elif code == 12:
                if data[4:].decode().strip() != f"v={scram.get('verifier')}":
                    raise PgError("SCRAM: the server's signature does not verify")
            else:
                raise PgError(f"unsupported authentication request {code}")
        send(b"Q", sql.encode() + b"\0")
        rows, err = [], None
        while True:
            tag, data = recv()
            if tag == b"D":
                pos, row = 2, []
                for _ in range(struct.unpack("!H", data[:2])[0]):
                    n = struct.unpack("!i", data[pos:pos + 4])[0]
                    pos += 4
                    row.append(None if n < 0 else data[pos:pos + n].decode("utf-8", "replace"))
                    pos += max(n, 0)
                rows.append(row)
            elif tag == b"E":
                err = error_text(data)
            elif tag == b"Z":
                break
        send(b"X", b"")
        if err:
            raise PgError(err)
        return rows
    finally:
        sock.close()


class Node:
    """One `crier serve`: its config file, port, and the process of its current incarnation."""

    def __init__(self, index, port, config):
        self.index = index
        self.port = port
        self.api = f"http://127.0.0.1:{port}"
        self.config = config
        self.proc = None
        self.incarnation = 0
        self.log = None


class Campaign:
    def __init__(self, args):
        self.args = args
        self.seed = args.seed
        self.bin = os.path.abspath(args.bin)
        self.work = tempfile.mkdtemp(prefix="crier-crash-")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CRIER_")}
        self.env["RUST_LOG"] = args.log
        self.env["NO_PROXY"] = "127.0.0.1,localhost"
        self.sandbox_proc = None
        self.nodes = []  # the `crier serve` processes (one unless --nodes with --postgres)
        self.serve_lock = threading.Lock()  # held while a node is killed or started
        self.closing = False
        self.database = None  # with --postgres: the run's database, its name and crier's URL for it
        self.kills = []  # (wall ms, node, pid) of each SIGKILL
        self.networks = NETWORKS[: args.networks]
        self.platforms = [n[0] for n in self.networks]
        self.tag = f"cc{self.seed}"
        # Progress shared by the clients and the killer.
        self.cond = threading.Condition()
        self.next_post = 0
        self.submitted = 0
        self.posting_done = False
        self.posts = {}  # index -> record
        self.fault_kinds = {}  # sandbox fault id -> kind
        self.applied = {}  # kind -> requests it applied to
        self.failure = None

    # ---- processes -------------------------------------------------------------------------

    def start_sandbox(self):
        out = os.path.join(self.work, "sandbox.log")
        f = open(out, "w")
        self.sandbox_proc = subprocess.Popen(
            [self.bin, "sandbox", "--listen", "127.0.0.1:0"], cwd=self.work, env=self.env,
            stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        f.close()
        line = wait_for_line(out, "crier sandbox on ", self.sandbox_proc, 60)
        if not line:
            raise Fatal(f"crier sandbox did not start (see {out})")
        self.sandbox = line.split(";")[0].strip()
        log(f"sandbox on {self.sandbox} (pid {self.sandbox_proc.pid})")

    def create_database(self):
        """With --postgres: a fresh database for the run, on the server of the admin URL."""
        name = f"crier_campaign_{random.SystemRandom().randrange(16**10):010x}"
        try:
            pg_query(self.args.postgres, f'CREATE DATABASE "{name}"')
        except (OSError, PgError) as e:
            raise Fatal(f"cannot create database {name} with {self.args.postgres}: {e}")
        self.database = {"name": name, "url": pg_with_database(self.args.postgres, name)}
        log(f"PostgreSQL database {name} created")

    def drop_database(self):
        name = self.database["name"]
        for force in (" WITH (FORCE)", ""):  # FORCE: PostgreSQL 13 and later
            try:
                pg_query(self.args.postgres, f'DROP DATABASE IF EXISTS "{name}"{force}')
                log(f"PostgreSQL database {name} dropped")
                return
            except (OSError, PgError) as e:
                error = e
        log(f"could not drop database {name}: {error}")

    def write_config(self):
        """One config per node: the same store, key and networks; its own port (and data dir)."""
        ports = []
        while len(ports) < self.args.nodes:
            port = free_port()
            if port not in ports:
                ports.append(port)
        for i, port in enumerate(ports):
            single = self.args.nodes == 1
            config = os.path.join(self.work, "crier.toml" if single else f"crier-node{i}.toml")
            data = os.path.join(self.work, "data" if single else f"data-node{i}")
            with open(config, "w") as f:
                f.write("\n".join(self.config_lines(port, data)))
            self.nodes.append(Node(i, port, config))
        self.config = self.nodes[0].config  # for the CLI: every node's store is the same

    def config_lines(self, port, data_dir):
        key = base64.b64encode(random.Random(self.seed).randbytes(32)).decode()
        a = self.args
        lines = [
            f'listen = "127.0.0.1:{port}"',
            f'data_dir = "{data_dir}"',
        ]
        if self.database:
            lines.append(f'database_url = "{self.database["url"]}"')
        lines += [
            f"wait_limit_secs = {a.wait_limit}",
            "shutdown_grace_secs = 1",
            f'encryption_key = "{key}"',
            "",
            "[networks]",
        ]
        for k in ENDPOINT_KEYS:
            lines.append(f'{k} = "{self.sandbox}/{"x" if k == "twitter" else k}"')
        lines += [
            f"http_timeout_secs = {a.http_timeout}",
            f"landing_lag_ms = {a.landing_lag_ms}",
            "container_poll_ms = 200",
            "container_deadline_secs = 60",
            "instagram_daily_limit = 1000000",
            "linkedin_daily_limit = 1000000",
            "tiktok_daily_limit = 1000000",
            "",
            "[engine]",
            f"lease_secs = {a.lease_secs}",
            "retry_base_ms = 250",
            "retry_max_attempts = 5",
            "retry_deadline_secs = 60",
            "",
            # Hundreds of posts and polls on one profile: past the API's own default limit.
            "[limits]",
            "per_key = 1000000",
            "per_profile = 1000000",
            "",
            "[media]",  # last: staging_dir may follow
            "allow_loopback = true",
            "local_only = true",
        ]
        if self.database:
            # Staged media where every node reads it (on one machine a shared folder does what S3 does).
            lines.append(f'staging_dir = "{os.path.join(self.work, "media")}"')
        lines.append("")
        return lines

    def cli(self, *argv):
        r = subprocess.run([self.bin, "--config", self.config, *argv], cwd=self.work, env=self.env,
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise Fatal(f"crier {' '.join(argv[:2])} failed: {r.stderr.strip()}")
        return r.stdout.strip()

    def start_serve(self, node):
        """Starts `crier serve` on the node's config and port; returns once it listens."""
        for attempt in range(20):
            if self.closing:
                raise Fatal("shutting down")
            node.incarnation += 1
            name = f"serve-{node.incarnation:03d}.log" if self.args.nodes == 1 else \
                f"serve-node{node.index}-{node.incarnation:03d}.log"
            out = os.path.join(self.work, name)
            node.log = name
            f = open(out, "w")
            proc = subprocess.Popen([self.bin, "--config", node.config, "serve"], cwd=self.work, env=self.env,
                                    stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            f.close()
            node.proc = proc
            if wait_for_line(out, "crier listening on ", proc, 60):
                return
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
                raise Fatal(f"crier serve did not start within 60 s (see {out})")
            # The port may still be held for a moment after a kill: try again.
            time.sleep(0.25 * (attempt + 1))
        raise Fatal(f"crier serve did not start after 20 attempts (see {out})")

    def check_serve_alive(self):
        """Fails the run when crier exited without being killed by the campaign (a crash of its own)."""
        for node in self.nodes:
            proc = node.proc
            if proc.poll() is not None and not self.serve_lock.locked() and proc is node.proc:
                raise Fatal(f"crier serve exited by itself with status {proc.returncode} (see {node.log})")

    def kill_serve(self, node):
        proc = node.proc
        if proc is not None and proc.poll() is None:
            proc.kill()  # SIGKILL
            proc.wait(timeout=30)
            self.kills.append({"atMs": int(time.time() * 1000), "node": node.index, "pid": proc.pid, "log": node.log})

    def cleanup(self):
        # No restart may slip in after this: wait for one under way (bounded), then stop for good.
        self.closing = True
        locked = self.serve_lock.acquire(timeout=90)
        for proc in [n.proc for n in self.nodes] + [self.sandbox_proc]:
            if proc is not None and proc.poll() is None:
                proc.kill()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    pass
        if locked:
            self.serve_lock.release()

    # ---- sandbox control ---------------------------------------------------------------------

    def control(self, method, path, body=None):
        status, parsed, text = http(method, f"{self.sandbox}/_sandbox/{path}", body, timeout=30)
        if status != 200:
            raise Fatal(f"sandbox {method} {path}: {status} {text}")
        return parsed

    def configure_sandbox(self):
        big = 1_000_000_000
        self.control("POST", "bluesky/limits", {"writePointsPerHour": big, "requestsPer5Min": big, "blobMaxBytes": 1_000_000})
        self.control("POST", "linkedin/config", {"memberDailyPosts": big})
        self.control("POST", "meta/config", {"appCallsPerHour": 0, "bucCallsPerHour": 0,
                                             "instagramDailyLimit": big, "threadsDailyLimit": big})
        self.control("POST", "pinterest/config", {"perMinute": None, "perDay": None})

    def spray_faults(self):
        """Probability faults on every publish endpoint, each with a seed derived from the campaign's."""
        a = self.args
        rng = random.Random(f"{self.seed}-faults")
        kinds = [
            # A late landing after a dropped connection: crier sees a connection error at once.
            ("land-late-reset", {"reset": "before", "landLateMs": a.land_late_ms}),
            # A late landing after crier's own timeout: the connection is held without an answer.
            ("land-late-hang", {"landLateMs": a.land_late_ms}),
            ("reset-after", {"reset": "after"}),
            ("reset-before", {"reset": "before"}),
            ("503", {"status": 503}),
            ("429", {"status": 429, "headers": {"retry-after": "1"}}),
        ]
        if a.gateway_late:
            # A gateway's 504 while the backend carries on and publishes: a 5xx that is not proof.
            kinds.append(("504-land-late", {"status": 504, "landLateMs": a.land_late_ms}))
        for _, network, endpoint, _ in self.networks:
            for name, parts in kinds:
                fault = {"network": network, "endpoint": endpoint, "times": 0,
                         "probability": a.fault_rate, "seed": rng.getrandbits(63), **parts}
                self.fault_kinds[self.control("POST", "faults", fault)["id"]] = name
        # Each fault passes over what it does not draw, so about 1 - (1 - p)^kinds of the publish calls fault.
        share = 1 - (1 - a.fault_rate) ** len(kinds)
        log(f"faults: {len(kinds)} kinds x {len(self.networks)} endpoints, p={a.fault_rate} each "
            f"(~{share:.0%} of publish calls), land late after {a.land_late_ms} ms")

    # ---- clients -----------------------------------------------------------------------------

    def text_of(self, n):
        return f"crash campaign {self.tag} post {n} of {self.args.posts}"

    def client(self, cid):
        a = self.args
        headers = {"Authorization": f"Bearer {self.key}"}
        while True:
            with self.cond:
                if self.failure or self.next_post >= a.posts:
                    return
                n = self.next_post
                self.next_post += 1
                self.submitted += 1
                self.cond.notify_all()
            prng = random.Random(f"{self.seed}-post-{n}")
            body = {
                "post": self.text_of(n),
                "platforms": self.platforms,
                "mediaUrls": [f"{self.sandbox}/media-host/campaign/{self.tag}/{n}.jpg"],
                "idempotencyKey": f"{self.tag}-{n}",
            }
            scheduled = prng.random() < a.scheduled_share
            if scheduled:
                at = datetime.now(timezone.utc) + timedelta(seconds=prng.uniform(1, 5))
                body["scheduleDate"] = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            rec = {"n": n, "text": body["post"], "scheduled": scheduled, "id": None, "answers": [],
                   "refused": None, "attempts": 0}
            # The post's node; a request sent again goes to the next one (idempotency across nodes).
            first = random.Random(f"{self.seed}-node-{n}").randrange(len(self.nodes))
            if len(self.nodes) > 1:
                rec["nodes"] = []
            deadline = time.monotonic() + a.post_deadline
            while True:
                node = self.nodes[(first + rec["attempts"]) % len(self.nodes)]
                rec["attempts"] += 1
                if len(self.nodes) > 1:
                    rec["nodes"].append(node.index)
                try:
                    status, parsed, text = http("POST", f"{node.api}/api/post", body, headers,
                                                timeout=a.wait_limit + 15)
                except (OSError, urllib.error.URLError):
                    status, parsed, text = None, None, None
                if isinstance(parsed, dict) and parsed.get("id"):
                    rec["id"] = parsed["id"]
                    rec["answers"].append(parsed)
                    break
                retryable = status is None or status >= 500
                if not retryable:
                    rec["refused"] = {"status": status, "body": parsed if parsed is not None else text}
                    break
                if time.monotonic() > deadline:
                    rec["refused"] = {"status": status, "body": "no answer with an id before the deadline"}
                    break
                time.sleep(0.2)
            with self.cond:
                self.posts[n] = rec
                self.cond.notify_all()

    # ---- the killer --------------------------------------------------------------------------

    def killer(self):
        a = self.args
        rng = random.Random(f"{self.seed}-kills")
        pick = random.Random(f"{self.seed}-kill-nodes")  # its own stream: one node replays as before
        span = max(a.posts - 1, 1)
        triggers = sorted(rng.randrange(1, span + 1) if a.posts > 1 else 0 for _ in range(a.kills))
        try:
            for i, t in enumerate(triggers):
                with self.cond:
                    self.cond.wait_for(lambda: self.submitted >= t or self.failure, timeout=a.post_deadline * 4)
                    if self.failure:
                        return
                time.sleep(rng.uniform(0, a.kill_jitter_ms / 1000))
                node = self.nodes[pick.randrange(len(self.nodes))]
                with self.serve_lock:
                    self.kill_serve(node)
                    time.sleep(rng.uniform(0, 0.3))
                    self.start_serve(node)
                if (i + 1) % 10 == 0 or i + 1 == len(triggers):
                    log(f"kills: {i + 1}/{len(triggers)} (posts submitted: {self.submitted})")
        except Exception as e:  # noqa: BLE001 - reported, and stops the clients
            with self.cond:
                self.failure = f"killer: {e}"
                self.cond.notify_all()

    # ---- settling and checking ---------------------------------------------------------------

    def read_post(self, pid, n=0):
        """Any node answers for the shared store: post n's own first, the others if it does not answer."""
        for i in range(len(self.nodes)):
            node = self.nodes[(n + i) % len(self.nodes)]
            try:
                status, parsed, _ = http("GET", f"{node.api}/api/post/{pid}", None,
                                         {"Authorization": f"Bearer {self.key}"}, timeout=30)
            except (OSError, urllib.error.URLError):
                continue
            return (status, parsed)
        return None

    @staticmethod
    def deliveries(post):
        """platform -> ("published", id) | ("pending", None) | ("failed", error) from a post object/answer."""
        out = {}
        for p in post.get("postIds") or []:
            plat = p.get("platform")
            if p.get("status") == "success":
                out[plat] = ("published", p.get("id"))
            else:
                out[plat] = ("pending", None)
        for e in post.get("errors") or []:
            plat = e.get("platform")
            if plat:
                out[plat] = ("failed", e)
        return out

    def settled(self, post):
        d = self.deliveries(post)
        return post.get("status") not in ("pending", "processing") and all(
            d.get(p, ("pending", None))[0] != "pending" for p in self.platforms)

    def settle(self):
        a = self.args
        accepted = {n: r for n, r in self.posts.items() if r["id"]}
        final = {}
        # On PostgreSQL a killed node's leased jobs wait for their lease to run out before another
        # node (or the restarted one) takes them over: one lease more.
        timeout = a.settle_timeout + (a.lease_secs if self.database else 0)
        deadline = time.monotonic() + timeout
        todo = sorted(accepted)
        while todo and time.monotonic() < deadline:
            self.check_serve_alive()
            left = []
            for n in todo:
                got = self.read_post(accepted[n]["id"], n)
                if got and got[0] == 200 and isinstance(got[1], dict):
                    final[n] = got[1]
                    if self.settled(got[1]):
                        continue
                elif got and got[0] == 404:
                    final[n] = None
                left.append(n)
            todo = left
            if todo:
                time.sleep(1.0)
        if todo:
            log(f"{len(todo)} posts still unsettled after {timeout} s")
        # Nothing may still be on its way to the ledger.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if (self.control("GET", "landings") or {}).get("pending", 0) == 0:
                break
            time.sleep(0.5)
        return final, set(todo)

    @staticmethod
    def id_matches(platform, crier_id, native_id):
        if crier_id == native_id:
            return True
        # Bluesky: crier reports the at:// URI, the ledger the record key.
        return platform == "bluesky" and isinstance(crier_id, str) and crier_id.endswith("/" + native_id)

    def check(self, final, unsettled):
        ledger = self.control("GET", "ledger")["entries"]
        prefix = f"crash campaign {self.tag} post "
        by_text = {}
        for e in ledger:
            if e["text"].startswith(prefix) and not e.get("deleted"):
                by_text.setdefault(e["text"], {}).setdefault(e["network"], []).append(e)
        findings = {"duplicates": [], "lost": [], "wrong": []}
        stats = {"accepted": 0, "refused": 0, "published": 0, "failed": 0, "unknown": 0, "scheduled": 0}
        known_texts = set()
        for n in sorted(self.posts):
            rec = self.posts[n]
            known_texts.add(rec["text"])
            landed = by_text.get(rec["text"], {})
            if not rec["id"]:
                stats["refused"] += 1
                for plat, entries in landed.items():
                    findings["wrong"].append({"post": n, "network": plat, "what": "crier refused the post, the network has it",
                                              "refusal": rec["refused"], "ledger": entries})
                continue
            stats["accepted"] += 1
            stats["scheduled"] += rec["scheduled"]
            post = final.get(n)
            if post is None:
                for plat in self.platforms:
                    findings["lost"].append({"post": n, "id": rec["id"], "network": plat, "what": "post not found at the end"})
                continue
            said = [self.deliveries(ans) for ans in rec["answers"]] + [self.deliveries(post)]
            end = said[-1]
            for plat in self.platforms:
                entries = landed.get(plat, [])
                where = {"post": n, "id": rec["id"], "network": plat, "ledger": [
                    {"nativeId": e["nativeId"], "atMs": e["atMs"]} for e in entries]}
                if len(entries) > 1:
                    findings["duplicates"].append({**where, "what": f"published {len(entries)} times", "crier": end.get(plat)})
                state = end.get(plat, ("pending", None))
                if state[0] not in ("published", "failed"):
                    findings["lost"].append({**where, "what": "delivery not in a terminal state", "crier": state})
                if state[0] == "published":
                    stats["published"] += 1
                elif state[0] == "failed":
                    stats["unknown" if state[1].get("code") == 905 else "failed"] += 1
                # Everything crier ever said about this delivery must hold.
                for d in said:
                    st = d.get(plat)
                    if not st:
                        continue
                    if st[0] == "published" and not any(self.id_matches(plat, st[1], e["nativeId"]) for e in entries):
                        findings["wrong"].append({**where, "what": f"crier says published as {st[1]}, the ledger lacks that id"})
                        break
                    if st[0] == "failed" and entries:
                        e = st[1]
                        if e.get("retryAvailable"):
                            findings["wrong"].append({**where, "what": "retryAvailable but the network has the post", "error": e})
                            break
                        if e.get("code") != 905:
                            findings["wrong"].append({**where, "what": f"crier says failed ({e.get('code')}) but the network has the post", "error": e})
                            break
        for text, nets in by_text.items():
            if text not in known_texts:
                for plat, entries in nets.items():
                    findings["wrong"].append({"text": text, "network": plat, "what": "published, but no post of crier's has this text", "ledger": entries})
        return findings, stats

    # ---- the whole run -----------------------------------------------------------------------

    def rerun_command(self):
        """The command line that replays this run: every option given, the sizes and the seed."""
        argv, skip = [], False
        for arg in self.args.argv:
            if skip:
                skip = False
            elif arg in ("--bin", "--seed", "--posts", "--networks", "--kills"):
                skip = True
            elif not arg.startswith(("--bin=", "--seed=", "--posts=", "--networks=", "--kills=")):
                argv.append(arg)
        a = self.args
        return " ".join(["scripts/crash-campaign.sh", "--posts", str(a.posts), "--networks", str(a.networks),
                         "--kills", str(a.kills), "--seed", str(self.seed), *argv])

    def run(self):
        a = self.args
        started = time.monotonic()
        print(f"crash campaign: seed={self.seed} (rerun: {self.rerun_command()})", flush=True)
        self.start_sandbox()
        self.configure_sandbox()
        if a.postgres:
            self.create_database()
        self.write_config()
        self.key = self.cli("key", "create").splitlines()[-1].strip()
        for plat, _, _, creds in self.networks:
            self.cli("account", "link", "--network", plat, "--credentials", json.dumps(creds))
        for node in self.nodes:
            self.start_serve(node)
        where = ", ".join(n.api for n in self.nodes)
        store = f"PostgreSQL database {self.database['name']}" if self.database else "SQLite"
        log(f"crier on {where} ({store}), work dir {self.work}; {a.posts} posts x {a.networks} networks "
            f"({', '.join(self.platforms)}), {a.clients} clients, {a.kills} kills")
        self.spray_faults()
        killer = threading.Thread(target=self.killer, daemon=True)
        clients = [threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(a.clients)]
        killer.start()
        for c in clients:
            c.start()
        last_report = time.monotonic()
        while any(c.is_alive() for c in clients):
            time.sleep(0.5)
            if self.failure:
                raise Fatal(self.failure)
            self.check_serve_alive()
            if time.monotonic() - last_report > 15:
                last_report = time.monotonic()
                log(f"posts: {len(self.posts)}/{a.posts} answered")
        with self.cond:
            self.posting_done = True
            self.cond.notify_all()
        killer.join(timeout=a.post_deadline * 4)
        if self.failure:
            raise Fatal(self.failure)
        if killer.is_alive():
            raise Fatal("the killer did not finish")
        posted = time.monotonic()
        log(f"all {a.posts} posts answered in {posted - started:.0f} s; faults cleared, waiting for every post to settle")
        for f in self.control("GET", "faults")["faults"]:
            kind = self.fault_kinds.get(f["id"], "other")
            self.applied[kind] = self.applied.get(kind, 0) + f.get("applied", 0)
        self.control("DELETE", "faults")
        log("faults applied: " + ", ".join(f"{k}={v}" for k, v in self.applied.items()))
        self.check_serve_alive()
        final, unsettled = self.settle()
        findings, stats = self.check(final, unsettled)
        log(f"settled in {time.monotonic() - posted:.0f} s; accepted={stats['accepted']} refused={stats['refused']} "
            f"scheduled={stats['scheduled']}; deliveries: published={stats['published']} failed={stats['failed']} "
            f"unknown(905)={stats['unknown']}")
        counts = {k: len(v) for k, v in findings.items()}
        report = os.path.join(self.work, "findings.json")
        with open(report, "w") as f:
            json.dump({"seed": self.seed, "args": vars(a), "stats": stats, "faultsApplied": self.applied,
                       "database": self.database and self.database["name"],
                       "nodes": [{"node": n.index, "api": n.api, "config": n.config, "incarnations": n.incarnation}
                                 for n in self.nodes],
                       "kills": self.kills,
                       "findings": findings,
                       "posts": {str(n): r for n, r in self.posts.items()},
                       "final": {str(n): p for n, p in final.items()}}, f, indent=1)
        bad = any(counts.values()) or stats["refused"] > 0
        for kind, items in findings.items():
            for item in items[:20]:
                log(f"{kind}: {json.dumps(item)}")
            if len(items) > 20:
                log(f"{kind}: ... {len(items) - 20} more in {report}")
        if stats["refused"]:
            sample = [r for r in self.posts.values() if not r["id"]][:5]
            for r in sample:
                log(f"refused: post {r['n']}: {json.dumps(r['refused'])[:500]}")
        nodes = f"nodes={a.nodes} store=postgres " if self.database else ""
        print(f"crash campaign: posts={a.posts} networks={a.networks} kills={a.kills} {nodes}"
              f"duplicates={counts['duplicates']} lost={counts['lost']} wrong={counts['wrong']} "
              f"(seed={self.seed}, refused={stats['refused']}, published={stats['published']}, "
              f"failed={stats['failed']}, unknown={stats['unknown']}, {time.monotonic() - started:.0f} s)", flush=True)
        return bad


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True, help="the crier binary")
    p.add_argument("--posts", type=int, default=1000)
    p.add_argument("--networks", type=int, default=4, help=f"1-{len(NETWORKS)}: the first N of "
                   + ", ".join(n[0] for n in NETWORKS))
    p.add_argument("--kills", type=int, default=50)
    p.add_argument("--seed", type=int, default=None, help="default: random (printed)")
    p.add_argument("--clients", type=int, default=8, help="concurrent posting clients")
    p.add_argument("--scheduled-share", type=float, default=0.1, help="share of posts scheduled 1-5 s ahead")
    p.add_argument("--fault-rate", type=float, default=0.03, help="probability of each fault kind (6, or 7 "
                   "with --gateway-late)")
    p.add_argument("--land-late-ms", type=int, default=1500, help="delay of the land-late faults")
    p.add_argument("--landing-lag-ms", type=int, default=None, help="crier's networks.landing_lag_ms "
                   "(default: land-late-ms + 1000)")
    p.add_argument("--http-timeout", type=int, default=2, help="crier's networks.http_timeout_secs")
    p.add_argument("--wait-limit", type=int, default=5, help="crier's wait_limit_secs")
    p.add_argument("--lease-secs", type=int, default=5, help="crier's engine.lease_secs")
    p.add_argument("--kill-jitter-ms", type=int, default=400, help="a kill comes 0-N ms after its post")
    p.add_argument("--post-deadline", type=float, default=120, help="seconds a client keeps re-sending one post")
    p.add_argument("--settle-timeout", type=float, default=300, help="seconds every post gets to settle")
    p.add_argument("--gateway-late", action="store_true", help="also spray 504 answers whose request "
                   "lands late anyway (off by default: whether a 504 may hide a post is each connector's call)")
    p.add_argument("--allow-short-lag", action="store_true", help="let --landing-lag-ms be shorter than "
                   "--land-late-ms: crier then takes a late post for not published, and the campaign should "
                   "report duplicates (a check of the campaign itself)")
    p.add_argument("--postgres", metavar="ADMIN_URL", default=None, help="run crier on PostgreSQL: an "
                   "admin URL (e.g. postgres://postgres:crier@127.0.0.1:5432/postgres) with which a fresh "
                   "database crier_campaign_<random> is created for the run and dropped at the end (kept "
                   "with the work dir)")
    p.add_argument("--nodes", type=int, default=1, help="crier serve processes sharing the store (more "
                   "than 1 needs --postgres); posts are spread over them, each kill picks one")
    p.add_argument("--log", default="warn", help="RUST_LOG for crier")
    p.add_argument("--keep", action="store_true", help="keep the work dir (it is always kept on failure)")
    a = p.parse_args()
    a.argv = sys.argv[1:]
    if not 1 <= a.networks <= len(NETWORKS):
        p.error(f"--networks must be 1-{len(NETWORKS)}")
    if a.posts < 1 or a.kills < 0 or a.clients < 1:
        p.error("--posts and --clients must be positive, --kills not negative")
    if a.nodes < 1 or (a.nodes > 1 and not a.postgres):
        p.error("--nodes must be positive, and more than one node needs --postgres (SQLite is one node's store)")
    if a.postgres:
        try:
            pg_url_parts(a.postgres)
        except PgError as e:
            p.error(f"--postgres: {e}")
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1, 2**31)
    if a.landing_lag_ms is None:
        a.landing_lag_ms = a.land_late_ms + 1000
    if a.landing_lag_ms < a.land_late_ms and not a.allow_short_lag:
        p.error("--landing-lag-ms must be at least --land-late-ms (crier's proof rule)")
    # SIGTERM/SIGHUP end the run like Ctrl-C: the processes started here are killed on the way out.
    def interrupted(*_):
        raise KeyboardInterrupt()

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupted)
    c = Campaign(a)
    bad = True
    try:
        bad = c.run()
    except Fatal as e:
        log(f"crash campaign failed: {e}")
    except KeyboardInterrupt:
        log("interrupted")
    finally:
        c.cleanup()
        if bad or a.keep:
            log(f"work dir kept: {c.work}")
            if c.database:
                log(f"database kept: {c.database['url']}")
        else:
            shutil.rmtree(c.work, ignore_errors=True)
            if c.database:
                c.drop_database()
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
