"""Aims PyPI `social-post-api` 1.3.0 (import `ayrshare`) at crier, and shared helpers.

The SDK hard-codes ``base = 'https://api.ayrshare.com/api/'`` as a module global that every
doGet/doPost/doPut/doDelete reads at call time (official-sdks.md §2): rebinding that one
attribute is the whole change. The SDK itself is not modified.

Also, outside the SDK: every response that ``requests`` receives is recorded (method, URL,
HTTP status, content type) so tests can check what the SDK hides, and any request that would
still go to ayrshare.com is refused, so a run can never reach the real Ayrshare with a key.
"""
import datetime
import json
import os
import secrets
import urllib.request

import pytest
import requests

import ayrshare.ayrshare as ayrshare_module
from ayrshare import SocialPost


def _env(name):
    value = os.environ.get(name)
    if not value:
        raise pytest.UsageError(f"{name} is not set: run the suite through compat/run.sh")
    return value


CRIER_URL = _env("CRIER_URL").rstrip("/")
SANDBOX_URL = _env("CRIER_SANDBOX_URL").rstrip("/")
API_KEY = _env("CRIER_API_KEY")
X_KEY = _env("CRIER_X_KEY")
X_SECRET = _env("CRIER_X_SECRET")

# The one-line change that points the SDK at crier (the trailing slash is required).
ayrshare_module.base = CRIER_URL + "/api/"

WIRE = []
_original_send = requests.sessions.Session.send


def _recording_send(self, request, **kwargs):
    if "ayrshare.com" in request.url:
        raise RuntimeError(f"refusing to send a request to {request.url}")
    response = _original_send(self, request, **kwargs)
    WIRE.append({"method": request.method, "url": request.url, "status": response.status_code,
                 "content_type": response.headers.get("Content-Type")})
    return response


requests.sessions.Session.send = _recording_send


class Wire:
    """Responses received while a `with` block ran."""

    def __enter__(self):
        self._start = len(WIRE)
        self.records = []
        return self

    def __exit__(self, *exc):
        self.records = WIRE[self._start:]
        return False


def unique(label):
    """A post text no other test (or run) uses: the networks refuse duplicates."""
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    return f"crier compat py {label} {now} {secrets.token_hex(4)}"


def future(days):
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def parse_date(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def sandbox(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"{SANDBOX_URL}/_sandbox/{path}", data=data, method=method,
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode()
    return json.loads(text) if text else None


def add_fault(fault):
    return sandbox("POST", "faults", fault)


def clear_faults():
    return sandbox("DELETE", "faults")


def assert_catalog_error(r, code=None, what="answer"):
    """A flat catalog error: status "error" and an integer code (optionally the given one)."""
    assert isinstance(r, dict), f"{what}: expected a JSON object, got {r!r}"
    assert r.get("status") == "error", f"{what}: {r}"
    assert isinstance(r.get("code"), int) and not isinstance(r.get("code"), bool), f"{what}: no integer code in {r}"
    if code is not None:
        assert r["code"] == code, f"{what}: {r}"


def assert_post_success(r, text, platforms):
    assert isinstance(r, dict), r
    assert r["status"] == "success", r
    assert r["errors"] == []
    assert isinstance(r["id"], str) and r["id"]
    assert isinstance(r["refId"], str)
    assert r["post"] == text
    assert sorted(p["platform"] for p in r["postIds"]) == sorted(platforms), r
    for p in r["postIds"]:
        assert p["status"] == "success", p
        assert isinstance(p["id"], str) and p["id"], p
        assert p["postUrl"].startswith("https://"), p


def history_list(r):
    """crier wraps the list as {"history": [...]}; Ayrshare sends a bare array."""
    if isinstance(r, list):
        return r
    assert isinstance(r, dict) and isinstance(r.get("history"), list), r
    return r["history"]


@pytest.fixture
def api():
    return SocialPost(API_KEY)


@pytest.fixture(autouse=True, scope="session")
def _no_faults_left():
    clear_faults()
    yield
    clear_faults()
