"""Issue 16, point 8, through PyPI `social-post-api` 1.3.0, unmodified: text is counted the way
each network counts it. At each limit the post is published (on the sandbox's emulator of that
network); one unit more is refused with 132 before anything is sent, its limit and overage in
the network's unit (X: twitter-text weighted length; Bluesky: graphemes and UTF-8 bytes;
Telegram: UTF-16 code units).

Each text starts with a unique ASCII tag (networks refuse duplicates), then is filled up to the
limit exactly; the tag weighs 1 per character in every unit used here.
"""
from conftest import X_KEY, X_SECRET, assert_post_success, unique

FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"  # 1 grapheme, 25 bytes
GRIN = "\U0001F600"  # X: 2; UTF-16: 2


def refused_132(r, platform, limit, overage):
    assert r["status"] == "error", r
    assert r["postIds"] == [], r
    errors = [(e["code"], e["platform"]) for e in r["errors"]]
    assert errors == [(132, platform)], r
    message = r["errors"][0]["message"]
    assert str(limit) in message and f" {overage} " in message, message
    return r["errors"][0]


def test_x_counts_weighted_length(api):
    api.set_twitter_byo(X_KEY, X_SECRET)
    try:
        tag = unique("x weighted") + " "
        fill = 280 - len(tag)
        text = tag + "a" * (fill % 2) + GRIN * (fill // 2)  # 280 weighted, fewer characters
        assert_post_success(api.post({"post": text, "platforms": ["twitter"]}), text, ["twitter"])
        # "😀" × 141 (282 of 280): refused, 2 over.
        refused_132(api.post({"post": GRIN * 141, "platforms": ["twitter"]}), "twitter", 280, 2)
        # A URL weighs 23 however long.
        url = "https://example.com/" + "p" * 300
        tag = unique("x url") + " "
        text = tag + "a" * (280 - 23 - 1 - len(tag)) + " " + url
        assert_post_success(api.post({"post": text, "platforms": ["twitter"]}), text, ["twitter"])
        over = unique("x url over") + " "
        e = refused_132(api.post({"post": over + "a" * (280 - 23 - len(over)) + " " + url, "platforms": ["twitter"]}),
                        "twitter", 280, 1)
        assert "weighted" in e["details"], e
    finally:
        api.clear_twitter_byo()


def test_bluesky_counts_graphemes_and_bytes(api):
    # 60 family emoji (420 code points) and letters: exactly 300 graphemes, 1,740 bytes.
    tag = unique("bsky graphemes") + " "
    text = tag + FAMILY * 60 + "a" * (300 - 60 - len(tag))
    assert_post_success(api.post({"post": text, "platforms": ["bluesky"]}), text, ["bluesky"])
    e = refused_132(api.post({"post": text + "a", "platforms": ["bluesky"]}), "bluesky", 300, 1)
    assert e["details"].startswith("301 graphemes"), e
    # 115 families (2,875 bytes) and letters: exactly 3,000 bytes in far fewer than 300 graphemes.
    tag = unique("bsky bytes") + " "
    text = tag + FAMILY * 115 + "a" * (3000 - 25 * 115 - len(tag))
    assert len(text.encode()) == 3000
    assert_post_success(api.post({"post": text, "platforms": ["bluesky"]}), text, ["bluesky"])
    e = refused_132(api.post({"post": text + "a", "platforms": ["bluesky"]}), "bluesky", 3000, 1)
    assert e["details"].startswith("3001 UTF-8 bytes"), e


def test_telegram_counts_utf16_units(api):
    tag = unique("tg utf16") + " "
    text = tag + GRIN * 2000 + "a" * (4096 - 4000 - len(tag))  # 4,096 UTF-16 units, 2,0xx characters
    assert len(text.encode("utf-16-le")) == 2 * 4096
    assert_post_success(api.post({"post": text, "platforms": ["telegram"]}), text, ["telegram"])
    e = refused_132(api.post({"post": text + GRIN, "platforms": ["telegram"]}), "telegram", 4096, 2)
    assert "UTF-16" in e["details"], e
