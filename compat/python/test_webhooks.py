"""Issue 17 through PyPI `social-post-api` 1.3.0 (registerWebhook, listWebhooks,
unregisterWebhook), with a real receiver: every delivery is verified with the `standardwebhooks`
library (PyPI) and with Ayrshare's HMAC header, and deduplicated by `webhook-id`.

compat/run.sh compresses crier's retry schedule (CRIER_WEBHOOKS__RETRY_SCHEDULE_SECS), so a
receiver that fails first sees the retry within a second or two.
"""
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from conftest import assert_post_success, future, unique

SAFE = ["telegram", "bluesky"]
AYRSHARE_SECRET = "compat-ayrshare-secret-0123456789"


class Receiver:
    """A webhook endpoint on loopback. `fail_first` deliveries answer 500; the rest 200."""

    def __init__(self, fail_first=0):
        self.whsec = None
        self.fail_first = fail_first
        self.seen = 0
        self.verified = {}      # webhook-id -> payload (deduplicated)
        self.deliveries = []    # every verified delivery: (webhook-id, payload)
        self.forged = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver.receive(body, headers)
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/crier"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def receive(self, body, headers):
        with self.lock:
            self.seen += 1
            if self.whsec is None:
                return 503
            try:
                payload = Webhook(self.whsec).verify(body, headers)
            except WebhookVerificationError as e:
                self.forged.append(str(e))
                return 400
            expected = hmac.new(AYRSHARE_SECRET.encode(), body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, headers.get("x-authorization-content-sha256", "")):
                self.forged.append("Ayrshare HMAC mismatch")
                return 400
            if not headers.get("x-authorization-timestamp", "").isdigit():
                self.forged.append("no X-Authorization-Timestamp")
                return 400
            if self.fail_first > 0:
                self.fail_first -= 1
                return 500
            wid = headers["webhook-id"]
            self.deliveries.append((wid, payload))
            self.verified.setdefault(wid, payload)
            return 200

    def wait_for(self, pred, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                found = [p for p in self.verified.values() if pred(p)]
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no verified delivery matched within {seconds} s: {list(self.verified.values())!r}")

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def register(api, receiver, action):
    r = api.registerWebhook({"action": action, "url": receiver.url, "secret": AYRSHARE_SECRET})
    assert r["status"] == "success" and r["action"] == action and r["url"] == receiver.url, r
    listed = api.listWebhooks()
    assert listed[action] == receiver.url, listed
    receiver.whsec = listed["signingSecrets"][action]
    assert receiver.whsec.startswith("whsec_"), listed


def test_post_event_verified_with_standardwebhooks_and_ayrshare_hmac(api, receiver):
    register(api, receiver, "post")
    try:
        text = unique("webhook post")
        p = api.post({"post": text, "platforms": list(SAFE)})
        assert_post_success(p, text, SAFE)
        [event] = receiver.wait_for(lambda e: e.get("id") == p["id"])
        assert event["action"] == "post" and event["status"] == "success", event
        assert sorted(x["platform"] for x in event["postIds"]) == sorted(SAFE), event
        assert event["refId"] == p["refId"], event
        assert not receiver.forged, receiver.forged
    finally:
        assert api.unregisterWebhook({"action": "post"})["status"] == "success"


def test_scheduled_event_after_a_failing_receiver_same_webhook_id(api, receiver):
    register(api, receiver, "scheduled")
    receiver.fail_first = 1
    try:
        s = api.post({"post": unique("webhook scheduled"), "platforms": list(SAFE), "scheduleDate": future(7)})
        assert s["status"] == "scheduled", s
        # Moved to now: the post goes out, its outcome arrives on `scheduled`.
        u = api.updatePost({"id": s["id"], "scheduleDate": future(-1)})
        assert u["status"] == "success", u
        [event] = receiver.wait_for(lambda e: e.get("id") == s["id"])
        assert event["action"] == "scheduled" and event["status"] == "success", event
        # The first attempt got a 500; the retry carried the same webhook-id, delivered once.
        with receiver.lock:
            ids = [wid for wid, payload in receiver.deliveries if payload.get("id") == s["id"]]
        assert len(ids) == 1, ids
        assert receiver.seen >= 2
        attempts = api_deliveries(api, ids[0])
        assert [a["status"] for a in attempts][-2:] in (["failed", "delivered"], ["delivered", "failed"]), attempts
        assert not receiver.forged, receiver.forged
    finally:
        assert api.unregisterWebhook({"action": "scheduled"})["status"] == "success"


def api_deliveries(api, webhook_id):
    """Attempts of one event, from crier's `GET /api/hook/deliveries` (no SDK method: plain HTTP)."""
    import requests
    from conftest import API_KEY, CRIER_URL
    r = requests.get(f"{CRIER_URL}/api/hook/deliveries", headers={"Authorization": f"Bearer {API_KEY}"}, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    rows = body.get("deliveries", body if isinstance(body, list) else [])
    return [a for a in rows if webhook_id in json.dumps(a)]


def test_register_refuses_unknown_actions_and_private_targets(api):
    r = api.registerWebhook({"action": "feed-of-cats", "url": "https://example.com/hook"})
    assert r["status"] == "error" and r["code"] == 900, r
    r = api.registerWebhook({"action": "post", "url": "https://10.0.0.1/hook"})
    assert r["status"] == "error", r
