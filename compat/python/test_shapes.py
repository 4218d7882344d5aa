"""Issue 16 through PyPI `social-post-api` 1.3.0, unmodified: history's date window and filters,
profiles' filters and cursor, and the keys Ayrshare documents for analytics, network history,
`user` and short links (compat/README.md lists them field by field).
"""
import secrets

from conftest import SANDBOX_URL, assert_catalog_error, assert_post_success, history_list, parse_date, unique

SAFE = ["telegram", "bluesky"]


def has(obj, keys, what):
    assert isinstance(obj, dict), f"{what}: {obj!r}"
    missing = [k for k in keys if obj.get(k) is None]
    assert not missing, f"{what}: missing {missing} in {obj}"


def ms_iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def publish(api, label, platforms=SAFE, **extra):
    text = unique(label)
    r = api.post({"post": text, "platforms": list(platforms), **extra})
    assert_post_success(r, text, platforms)
    return r


# --- history: date window and filters ----------------------------------------------------------

def test_history_date_window_is_inclusive(api):
    posts = []
    for label in ("window a", "window b", "window c"):
        r = publish(api, label)
        created = api.getPost({"id": r["id"]})["created"]
        posts.append((r["id"], parse_date(created)))
    (a, a_at), (b, b_at), (c, c_at) = posts
    b_iso = ms_iso(b_at)

    only_b = [p["id"] for p in history_list(api.history({"startDate": b_iso, "endDate": b_iso}))]
    assert only_b == [b], only_b
    from_b = [p["id"] for p in history_list(api.history({"startDate": b_iso, "limit": 1000}))]
    assert b in from_b and c in from_b and a not in from_b, from_b
    until_b = [p["id"] for p in history_list(api.history({"endDate": b_iso, "limit": 1000}))]
    assert a in until_b and b in until_b and c not in until_b, until_b
    # A window long before the posts holds none of them, whatever lastDays says.
    old = history_list(api.history({"startDate": "2020-01-01", "endDate": "2020-12-31", "lastDays": 0}))
    assert old == [], old


def test_history_filters_by_type_and_platform(api):
    r = publish(api, "only telegram", platforms=["telegram"])
    tg = [p["id"] for p in history_list(api.history({"platforms": ["telegram"], "type": "immediate"}))]
    assert r["id"] in tg, tg
    bs = [p["id"] for p in history_list(api.history({"platforms": ["bluesky"]}))]
    assert r["id"] not in bs, bs
    assert all(p["type"] == "now" for p in history_list(api.history({"type": "immediate"})))


def test_history_bad_values_are_900_naming_the_field(api):
    for params, field in (({"startDate": "tomorrow"}, "startDate"), ({"endDate": "2025-02-30"}, "endDate"),
                          ({"startDate": "2025-03-01", "endDate": "2025-01-01"}, "startDate"),
                          ({"limit": 0}, "limit"), ({"status": "bogus"}, "status")):
        r = api.history(params)
        assert_catalog_error(r, 900, str(params))
        assert field in r.get("details", ""), r


# --- profiles: filters and cursor --------------------------------------------------------------

def test_profiles_filter_by_ref_id_and_title_and_page_with_a_cursor(api):
    tag = secrets.token_hex(3)
    made = []
    try:
        for i in range(3):
            r = api.createProfile({"title": f"compat py shapes {tag} {i}"})
            assert r["status"] == "success", r
            made.append(r)
        by_ref = api.getProfiles({"refId": made[1]["refId"]})
        assert [p["title"] for p in by_ref["profiles"]] == [made[1]["title"]], by_ref
        by_title = api.getProfiles({"title": made[2]["title"]})
        assert [p["refId"] for p in by_title["profiles"]] == [made[2]["refId"]], by_title
        assert all("profileKey" not in p for p in by_title["profiles"])

        seen, params = [], {"limit": 2}
        for _ in range(1000):
            page = api.getProfiles(params)
            assert len(page["profiles"]) <= 2, page
            seen += [p["refId"] for p in page["profiles"]]
            if not page["hasMore"]:
                assert page.get("nextCursor") is None, page
                break
            params = {"limit": 2, "cursor": page["nextCursor"]}
        assert len(seen) == len(set(seen)), "a profile on two pages"
        assert all(m["refId"] in seen for m in made), seen
        assert_catalog_error(api.getProfiles({"cursor": "not-a-cursor"}), 900, "bad cursor")
    finally:
        for m in made:
            api.deleteProfile({"profileKey": m["profileKey"]})


# --- shapes ------------------------------------------------------------------------------------

def test_post_analytics_have_ayrshares_keys(api):
    r = publish(api, "analytics fb", platforms=["facebook", "bluesky"])
    a = api.analyticsPost({"id": r["id"]})
    assert a["status"] == "success", a
    has(a["facebook"], ["id", "postUrl", "analytics"], "facebook")
    has(a["facebook"]["analytics"],
        ["likeCount", "commentsCount", "sharesCount", "reactionsByType", "videoViews", "impressionsUnique"], "facebook")
    has(a["bluesky"]["analytics"], ["likeCount", "repostCount", "replyCount", "quoteCount"], "bluesky")

    ig = publish(api, "analytics ig", platforms=["instagram"], mediaUrls=[f"{SANDBOX_URL}/media-host/cat.jpg"])
    a = api.analyticsPost({"id": ig["id"], "platforms": ["instagram"]})
    assert a["status"] == "success", a
    has(a["instagram"]["analytics"],
        ["caption", "mediaType", "mediaProductType", "username", "likeCount", "commentsCount", "reachCount",
         "savedCount", "viewsCount", "engagementCount"], "instagram")


def test_social_analytics_have_ayrshares_keys(api):
    s = api.analyticsSocial({"platforms": ["facebook", "youtube", "bluesky"]})
    assert s["status"] == "success", s
    has(s["facebook"]["analytics"], ["followersCount", "fanCount", "name", "link"], "facebook")
    has(s["youtube"]["analytics"], ["id", "channelId", "subscriberCount"], "youtube")
    assert s["youtube"]["analytics"]["id"] == s["youtube"]["analytics"]["channelId"]
    has(s["bluesky"]["analytics"], ["followersCount", "handle"], "bluesky")


def test_network_history_has_update_times(api):
    publish(api, "network history", platforms=["facebook"])
    h = api.history({"id": "facebook"})
    assert h["status"] == "success", h
    has(h, ["lastUpdated", "nextUpdate", "posts"], "history/facebook")
    parse_date(h["lastUpdated"])
    has(h["posts"][0], ["id", "post", "postUrl", "created", "likeCount", "commentsCount", "sharesCount"], "facebook post")


def test_user_has_ayrshares_keys(api):
    u = api.user()
    assert "email" in u, u
    has(u, ["activeSocialAccounts", "displayNames", "refId", "title", "created"], "user")
    fb = next(n for n in u["displayNames"] if n["platform"] == "facebook")
    has(fb, ["platform", "id", "displayName", "profileUrl", "created"], "displayNames[facebook]")


def test_short_link_analytics_have_ayrshares_keys(api):
    link = api.shortLink({"url": "https://example.com/compat-shapes"})
    has(link, ["status", "id", "shortUrl", "originalUrl"], "shortLink")
    a = api.shortLinkAnalytics({"id": link["id"]})
    assert a["status"] == "success", a
    has(a["analytics"], ["totalClicks", "refererCounts", "browserCounts", "originalUrl", "shortUrl"], "shortLinkAnalytics")
