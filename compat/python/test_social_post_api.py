"""PyPI `social-post-api` 1.3.0 (import `ayrshare`, class SocialPost), unmodified, against crier.

Run through compat/run.sh. The SDK never raises on 4xx/5xx (it returns the parsed body) but
raises on a non-JSON or empty body, so every call below also proves crier answered JSON.
Python paths that differ from Node's: delete() → DELETE /api/delete, createProfile() →
/api/profiles/create-profile, deleteProfile() → /api/profiles/delete-profile, getPost({id}) →
/api/post/{id}?id={id}, history({platform}) → /api/history?platform=x (no path form).
"""
import pytest
import requests

from ayrshare import SocialPost
from conftest import (API_KEY, CRIER_URL, SANDBOX_URL, X_KEY, X_SECRET, Wire, add_fault, assert_catalog_error,
                      assert_post_success, clear_faults, future, history_list, parse_date, unique)

SAFE = ["telegram", "bluesky"]
NETWORKS = ["bluesky", "facebook", "instagram", "telegram", "threads", "twitter", "youtube"]


def publish(api, label):
    text = unique(label)
    r = api.post({"post": text, "platforms": list(SAFE)})
    assert_post_success(r, text, SAFE)
    return r


def native_id(envelope, platform):
    return next(p["id"] for p in envelope["postIds"] if p["platform"] == platform)


# --- redirection and account -------------------------------------------------------------------

def test_requests_go_to_crier(api):
    with Wire() as w:
        r = api.user()
    assert isinstance(r, dict)
    assert len(w.records) == 1
    assert w.records[0]["url"].startswith(f"{CRIER_URL}/api/user?"), w.records[0]
    assert w.records[0]["status"] == 200


def test_user_lists_linked_networks(api):
    r = api.user()
    for n in NETWORKS:
        assert n in r["activeSocialAccounts"], r
    assert any(d["platform"] == "telegram" and isinstance(d["displayName"], str) for d in r["displayNames"])
    assert isinstance(r["refId"], str)


def test_content_type_is_json_utf8(api):
    """official-sdks.md §5.6: Ayrshare answers `application/json; charset=utf-8`."""
    with Wire() as w:
        api.user()
        api.history({"limit": 1})
        api.getPost({"id": "noSuchPostId000000"})
    assert len(w.records) == 3
    for rec in w.records:
        assert (rec["content_type"] or "").replace(" ", "").lower() == "application/json;charset=utf-8", rec


def test_invalid_api_key_is_102():
    bad = SocialPost("not-a-valid-key")
    with Wire() as w:
        r = bad.user()
    assert_catalog_error(r, 102, "user() with a bad key")
    assert w.records[0]["status"] == 401
    assert_catalog_error(bad.post({"post": unique("bad key"), "platforms": list(SAFE)}), 102, "post() with a bad key")


# --- post ---------------------------------------------------------------------------------------

def test_post_success_envelope(api):
    publish(api, "post")


def test_post_to_x_needs_byo_keys(api):
    api.set_twitter_byo(X_KEY, X_SECRET)
    text = unique("x byo")
    assert_post_success(api.post({"post": text, "platforms": ["twitter"]}), text, ["twitter"])
    api.clear_twitter_byo()
    r = api.post({"post": unique("x no byo"), "platforms": ["twitter"]})
    assert r["status"] == "error", r
    assert r["postIds"] == []
    assert [(e["code"], e["platform"]) for e in r["errors"]] == [(419, "twitter")], r


def test_post_unknown_platform_is_902(api):
    r = api.post({"post": unique("unknown"), "platforms": ["telegram", "myspace"]})
    assert r["status"] == "error", r
    assert any(e["code"] == 902 for e in r["errors"]), r
    assert r["postIds"] == []


def test_post_too_long_for_bluesky_is_132(api):
    r = api.post({"post": unique("long") + " " + "z" * 300, "platforms": list(SAFE)})
    assert r["status"] == "error", r
    errors = [e for e in r["errors"] if e["code"] == 132]
    assert errors and errors[0]["platform"] == "bluesky", r
    assert r["postIds"] == []


def test_post_partial_failure(api):
    add_fault({"network": "bluesky", "endpoint": "com.atproto.repo.createRecord", "status": 400,
               "body": {"error": "InvalidRequest", "message": "Record rejected"}})
    try:
        text = unique("partial")
        r = api.post({"post": text, "platforms": list(SAFE)})
    finally:
        clear_faults()
    assert r["status"] == "error", r
    assert len(r["errors"]) == 1, r
    assert r["errors"][0]["platform"] == "bluesky"
    assert isinstance(r["errors"][0]["code"], int)
    assert [(p["platform"], p["status"]) for p in r["postIds"]] == [("telegram", "success")], r
    assert isinstance(r["id"], str)
    assert r["post"] == text


def test_get_post(api):
    p = publish(api, "getPost")
    r = api.getPost({"id": p["id"]})  # GET /api/post/{id}?id={id}&source=pypi
    assert r["id"] == p["id"], r
    assert r["post"] == p["post"]
    assert r["status"] == "success"
    assert sorted(x["platform"] for x in r["postIds"]) == sorted(SAFE)


def test_get_post_unknown_id_is_186(api):
    assert_catalog_error(api.getPost({"id": "noSuchPostId000000"}), 186, "getPost")


# --- history ------------------------------------------------------------------------------------

def test_history_all(api):
    p = publish(api, "history")
    assert history_list(api.history())[0]["id"] == p["id"]


def test_history_with_bracketed_params(api):
    p = publish(api, "history filter")
    lst = history_list(api.history({"limit": 5, "lastDays": 1, "platforms": list(SAFE)}))
    assert len(lst) <= 5
    assert any(x["id"] == p["id"] for x in lst), lst


def test_history_by_id(api):
    p = publish(api, "history id")
    r = api.history({"id": p["id"]})
    assert r["id"] == p["id"], r
    assert r["post"] == p["post"]


def test_history_by_platform_query_form_does_not_fail(api):
    """Python has no path form: GET /api/history?platform=bluesky must at least not fail."""
    p = publish(api, "history platform")
    with Wire() as w:
        r = api.history({"platform": "bluesky"})
    assert w.records[0]["url"].startswith(f"{CRIER_URL}/api/history?"), w.records[0]
    assert w.records[0]["status"] == 200, r
    assert isinstance(r, (dict, list))
    if isinstance(r, dict):
        assert r.get("status") != "error", r
    assert any(x["id"] == p["id"] for x in history_list(r)), r


# --- delete (Python: DELETE /api/delete) --------------------------------------------------------

def test_delete_scheduled_post_cancels_it(api):
    s = api.post({"post": unique("scheduled delete"), "platforms": list(SAFE), "scheduleDate": future(7)})
    assert s["status"] == "scheduled", s
    with Wire() as w:
        r = api.delete({"id": s["id"]})
    assert w.records[0]["url"] == f"{CRIER_URL}/api/delete"
    assert r["status"] == "success", r
    assert r["id"] == s["id"]
    for n in SAFE:
        assert r[n]["status"] == "success" and r[n]["cancelled"] is True, r


def test_delete_published_post(api):
    p = publish(api, "published delete")
    r = api.delete({"id": p["id"]})
    assert r["status"] == "success", r
    for n in SAFE:
        assert r[n]["status"] == "success", r
        assert r[n]["id"] == native_id(p, n), r
    assert api.getPost({"id": p["id"]})["status"] == "deleted"
    assert_catalog_error(api.delete({"id": p["id"]}), 186, "second delete")


def test_delete_bulk(api):
    a = publish(api, "bulk a")
    b = publish(api, "bulk b")
    r = api.delete({"bulk": [a["id"], b["id"]]})
    assert r["status"] == "success", r
    assert sorted(x["id"] for x in r["bulk"]) == sorted([a["id"], b["id"]]), r
    assert all(x["status"] == "success" for x in r["bulk"]), r


# --- retryPost ----------------------------------------------------------------------------------

def test_retry_post_after_retryable_failure(api):
    add_fault({"network": "telegram", "endpoint": "sendMessage", "status": 503, "times": 0})
    try:
        p = api.post({"post": unique("retry"), "platforms": list(SAFE)})  # waits out crier's retries
    finally:
        clear_faults()
    assert p["status"] == "error", p
    assert len(p["errors"]) == 1, p
    e = p["errors"][0]
    assert (e["platform"], e["code"], e.get("retryAvailable")) == ("telegram", 910, True), p
    assert [x["platform"] for x in p["postIds"]] == ["bluesky"], p

    # waitSeconds (crier extension, in the body): the synchronous form; without it: "pending".
    r = api.retryPost({"id": p["id"], "waitSeconds": 30})
    assert r["status"] == "success", r
    assert r["errors"] == []
    assert sorted(x["platform"] for x in r["postIds"]) == sorted(SAFE), r
    assert_catalog_error(api.retryPost({"id": p["id"]}), 906, "second retryPost")


def test_retry_post_of_successful_post_is_906(api):
    p = publish(api, "retry success")
    assert_catalog_error(api.retryPost({"id": p["id"]}), 906, "retryPost")


# --- updatePost ---------------------------------------------------------------------------------

def test_update_scheduled_post(api):
    s = api.post({"post": unique("update"), "platforms": list(SAFE), "scheduleDate": future(7)})
    assert s["status"] == "scheduled", s
    try:
        when = future(8)
        r = api.updatePost({"id": s["id"], "scheduleDate": when, "notes": "moved a day"})
        assert isinstance(r, dict) and r.get("status") == "success", r
        g = api.getPost({"id": s["id"]})
        assert g.get("notes") == "moved a day", g
        assert parse_date(g["scheduleDate"]) == parse_date(when), g
    finally:
        api.delete({"id": s["id"]})


def test_update_published_post_is_a_catalog_error(api):
    p = publish(api, "update published")
    assert_catalog_error(api.updatePost({"id": p["id"], "notes": "too late"}), None, "updatePost(published)")


# --- analytics ----------------------------------------------------------------------------------

def test_analytics_post(api):
    p = publish(api, "analytics")
    r = api.analyticsPost({"id": p["id"], "platforms": ["bluesky"]})
    assert r["status"] == "success", r
    assert r["id"] == p["id"]
    assert r["bluesky"]["id"] == native_id(p, "bluesky")
    assert isinstance(r["bluesky"]["analytics"], dict)


def test_analytics_social(api):
    r = api.analyticsSocial({"platforms": list(SAFE)})
    assert r["status"] == "success", r
    for n in SAFE:
        assert isinstance(r[n]["analytics"], dict), r


# --- links --------------------------------------------------------------------------------------

def test_short_link_and_analytics(api):
    r = api.shortLink({"url": f"https://example.com/py/{unique('link').split()[-1]}", "utmSource": "compat"})
    assert r["status"] == "success", r
    assert r["shortUrl"].startswith("http"), r
    click = requests.get(r["shortUrl"], allow_redirects=False, timeout=30)
    assert click.status_code in (301, 302, 303, 307, 308), click.status_code
    a = api.shortLinkAnalytics({"id": r["id"]})  # GET /api/links/{id}?id={id}
    assert a["status"] == "success", a
    assert a["analytics"]["totalClicks"] == 1, a
    assert a["analytics"]["shortUrl"] == r["shortUrl"]


def test_short_link_analytics_unknown_id(api):
    assert_catalog_error(api.shortLinkAnalytics({"id": "noSuchLink"}), None, "shortLinkAnalytics")


# --- profiles and Profile-Key -------------------------------------------------------------------

def test_profiles_lifecycle_and_profile_key(api):
    title = unique("profile")
    with Wire() as w:
        c = api.createProfile({"title": title})
    assert w.records[0]["url"] == f"{CRIER_URL}/api/profiles/create-profile"
    assert c["status"] == "success", c
    assert c["title"] == title
    assert isinstance(c["profileKey"], str) and isinstance(c["refId"], str)

    assert any(p["refId"] == c["refId"] and p["title"] == title for p in api.getProfiles()["profiles"])

    u = api.updateProfile({"profileKey": c["profileKey"], "title": title + " renamed"})
    assert isinstance(u, dict) and u.get("status") == "success", u
    assert any(p["refId"] == c["refId"] and p["title"] == title + " renamed" for p in api.getProfiles()["profiles"])

    sub = SocialPost(API_KEY).setProfileKey(c["profileKey"])
    who = sub.user()
    assert who["refId"] == c["refId"], who
    assert who["activeSocialAccounts"] == []
    r = sub.post({"post": unique("no networks"), "platforms": ["telegram"]})
    assert r["status"] == "error", r
    assert (r["errors"][0]["code"], r["errors"][0]["platform"]) == (156, "telegram"), r

    with Wire() as w:
        d = api.deleteProfile({"profileKey": c["profileKey"]})
    assert w.records[0]["url"] == f"{CRIER_URL}/api/profiles/delete-profile"
    assert d["status"] == "success", d
    assert d["refId"] == c["refId"]
    assert not any(p["refId"] == c["refId"] for p in api.getProfiles()["profiles"])
    assert_catalog_error(sub.user(), 904, "user() with a deleted Profile-Key")


# --- media upload -------------------------------------------------------------------------------

PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def test_upload_and_media_library(api):
    r = api.upload({"file": PNG, "fileName": "dot.png", "description": "a dot"})
    assert r["status"] == "success", r
    assert r["url"].startswith(f"{CRIER_URL}/media/"), r
    assert r["fileName"] == "dot.png"
    listed = api.media()
    assert any(m["id"] == r["id"] for m in listed["media"]), listed


def test_verify_media_exists(api):
    ok = api.verifyMediaExists({"mediaUrl": f"{SANDBOX_URL}/media-host/cat.jpg"})
    assert ok["status"] == "success" and ok["exists"] is True and ok["contentType"] == "image/jpeg", ok
    # A private address is refused by the SSRF guard before any connection: 451 in JSON.
    refused = api.verifyMediaExists({"mediaUrl": "https://169.254.169.254/latest/meta-data"})
    assert refused["status"] == "error" and refused["code"] == 451, refused


# --- methods for capabilities crier does not have -----------------------------------------------

UNSUPPORTED = [
    ("mediaUploadUrl", lambda s: s.mediaUploadUrl({"fileName": "t.png", "contentType": "png"})),
    ("mediaMeta", lambda s: s.mediaMeta({"url": "https://example.com/a.jpg"})),
    ("resizeImage", lambda s: s.resizeImage({"imageUrl": "https://example.com/a.jpg", "platform": "facebook"})),
    ("addFeed", lambda s: s.addFeed({"url": "https://example.com/rss", "type": "rss"})),
    ("deleteFeed", lambda s: s.deleteFeed({"id": "feed1"})),
    ("getFeeds", lambda s: s.getFeeds()),
    ("updateFeed", lambda s: s.updateFeed({"id": "feed1", "useFirstImage": True})),
    ("postComment", lambda s: s.postComment({"id": "post1", "platforms": ["facebook"], "comment": "c"})),
    ("getComments", lambda s: s.getComments({"id": "post1"})),
    ("deleteComments", lambda s: s.deleteComments({"id": "post1"})),
    ("replyComment", lambda s: s.replyComment({"commentId": "c1", "platforms": ["facebook"], "comment": "r"})),
    ("getBrandByUser", lambda s: s.getBrandByUser({"platforms": ["instagram"], "instagramUser": "@a"})),
    ("generatePost", lambda s: s.generatePost({"text": "t"})),
    ("generateRewrite", lambda s: s.generateRewrite({"post": "t"})),
    ("generateTranscription", lambda s: s.generateTranscription({"videoUrl": "https://example.com/v.mp4"})),
    ("generateTranslation", lambda s: s.generateTranslation({"text": "t", "lang": "fr"})),
    ("generateAltText", lambda s: s.generateAltText({"url": "https://example.com/a.jpg"})),
    ("generateSentiment", lambda s: s.generateSentiment({"text": "t"})),
    ("autoHashtags", lambda s: s.autoHashtags({"post": "t"})),
    ("recommendHashtags", lambda s: s.recommendHashtags({"keyword": "t"})),
    ("checkBannedHashtags", lambda s: s.checkBannedHashtags({"hashtag": "t"})),
    ("reviews", lambda s: s.reviews({"platform": "facebook"})),
    ("review", lambda s: s.review({"id": "r1", "platform": "gmb"})),
    ("reviewReply", lambda s: s.reviewReply({"reviewId": "r1", "platform": "facebook", "reply": "x"})),
    ("deleteReviewReply", lambda s: s.deleteReviewReply({"reviewId": "r1", "platform": "facebook"})),
]


@pytest.mark.parametrize("name,call", UNSUPPORTED, ids=[n for n, _ in UNSUPPORTED])
def test_unsupported_method_answers_920(api, name, call):
    # A non-JSON or empty body would raise requests.exceptions.JSONDecodeError here.
    r = call(api)
    assert_catalog_error(r, 920, f"{name}()")


def test_generate_jwt_and_unlink_social(api):
    import random
    c = api.createProfile({"title": f"compat linking {random.random()}"})
    assert c["status"] == "success", c
    j = api.generateJWT({"domain": "acme", "privateKey": "-----BEGIN", "profileKey": c["profileKey"]})
    assert j["status"] == "success" and j["url"].startswith(f"{CRIER_URL}/link/"), j
    assert_catalog_error(api.unlinkSocial({"profileKey": c["profileKey"], "platform": "telegram"}), 156, "unlinkSocial() not linked")
    assert_catalog_error(api.generateJWT({"domain": "acme", "privateKey": "-----BEGIN", "profileKey": "pk"}), 914, "generateJWT() unknown key")
    assert_catalog_error(api.unlinkSocial({"profileKey": "pk", "platform": "facebook"}), 914, "unlinkSocial() unknown key")
    assert api.deleteProfile({"profileKey": c["profileKey"]})["status"] == "success"
