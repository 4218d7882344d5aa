"""Issue 16 through PyPI `social-post-api` 1.3.0, unmodified: approval, pause and
auto-schedule never publish early; a refused post answers with an `id`.

A held post has no job in crier; these tests also publish an unrelated post and wait for it,
so a held post that could have gone out would have gone out by then.
"""
from conftest import assert_catalog_error, assert_post_success, future, history_list, parse_date, unique

SAFE = ["telegram", "bluesky"]


def worker_ran(api):
    text = unique("unrelated")
    assert_post_success(api.post({"post": text, "platforms": list(SAFE)}), text, SAFE)


def status(api, post_id):
    return api.getPost({"id": post_id})["status"]


def test_requires_approval_then_approved(api):
    text = unique("approval")
    r = api.post({"post": text, "platforms": list(SAFE), "requiresApproval": True})
    assert r["status"] == "awaiting approval", r
    worker_ran(api)
    assert status(api, r["id"]) == "awaiting approval"
    held = history_list(api.history({"status": "awaiting approval"}))
    assert any(p["id"] == r["id"] for p in held), held

    u = api.updatePost({"id": r["id"], "approved": True})
    assert u["status"] == "success", u
    settled = api.getPost({"id": r["id"], "waitSeconds": 20})
    assert settled["status"] == "success", settled
    assert sorted(p["platform"] for p in settled["postIds"]) == sorted(SAFE), settled
    assert_catalog_error(api.updatePost({"id": r["id"], "approved": True}), 921, "second approval")


def test_scheduled_pause_and_unpause(api):
    s = api.post({"post": unique("pause"), "platforms": list(SAFE), "scheduleDate": future(7)})
    assert s["status"] == "scheduled", s
    try:
        p = api.updatePost({"id": s["id"], "scheduledPause": True})
        assert p["status"] == "success", p
        assert status(api, s["id"]) == "paused"
        paused = history_list(api.history({"status": "paused"}))
        assert any(x["id"] == s["id"] for x in paused), paused
        u = api.updatePost({"id": s["id"], "scheduledPause": False})
        assert u["status"] == "success", u
        g = api.getPost({"id": s["id"]})
        assert g["status"] == "pending", g
        assert parse_date(g["scheduleDate"]) == parse_date(s["scheduleDate"]), g
    finally:
        api.delete({"id": s["id"]})


def test_wrong_types_on_update_are_900(api):
    s = api.post({"post": unique("types"), "platforms": list(SAFE), "scheduleDate": future(7)})
    try:
        assert_catalog_error(api.updatePost({"id": s["id"], "scheduleDate": 5}), 900, "scheduleDate: 5")
        assert_catalog_error(api.updatePost({"id": s["id"], "notes": ["x"]}), 900, "notes: list")
    finally:
        api.delete({"id": s["id"]})


def test_auto_schedule(api):
    title = unique("slots").replace(" ", "-")[-24:]
    r = api.setAutoSchedule({"title": title, "schedule": ["08:15Z", "19:45Z"]})
    assert r["status"] == "success" and r["schedule"] == ["08:15Z", "19:45Z"], r
    listed = api.listAutoSchedule()
    assert listed["schedules"][title]["schedule"] == ["08:15Z", "19:45Z"], listed
    ids = []
    try:
        for n in range(2):
            p = api.post({"post": unique(f"auto {n}"), "platforms": list(SAFE), "autoSchedule": {"schedule": True, "title": title}})
            assert p["status"] == "scheduled", p
            assert parse_date(p["scheduleDate"]).strftime("%H:%M") in ("08:15", "19:45"), p
            ids.append(p["id"])
        first, second = (parse_date(api.getPost({"id": i})["scheduleDate"]) for i in ids)
        assert second > first, (first, second)
    finally:
        for i in ids:
            api.delete({"id": i})
        d = api.deleteAutoSchedule({"title": title})
        assert d["status"] == "success", d
    assert title not in api.listAutoSchedule()["schedules"]


def test_a_refused_post_has_an_id(api):
    r = api.post({"post": unique("refused"), "platforms": ["telegram", "myspace"]})
    assert r["status"] == "error", r
    assert isinstance(r.get("id"), str) and r["id"], r
    g = api.getPost({"id": r["id"]})
    assert g["status"] == "error" and g["errors"], g
