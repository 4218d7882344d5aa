// Issue 16 through npm `social-media-api` 1.3.0, unmodified: history's date window, profiles'
// filters and cursor, and the keys Ayrshare documents for analytics, network history, `user`
// and short links (compat/README.md lists them field by field).
// Run through compat/run.sh:  node --require ./redirect.cjs --test test/shapes.test.mjs
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const h = require("./helpers.cjs");
h.requireRedirect();
const { default: SocialMediaAPI } = await import("social-media-api");

const SAFE = ["telegram", "bluesky"];
const T = 60_000;
const api = () => new SocialMediaAPI(h.API_KEY);

function has(obj, keys, what) {
  assert.ok(obj && typeof obj === "object", `${what}: ${JSON.stringify(obj)}`);
  const missing = keys.filter((k) => obj[k] === undefined || obj[k] === null);
  assert.deepEqual(missing, [], `${what}: missing in ${JSON.stringify(obj)}`);
}

async function publish(label, platforms = SAFE, extra = {}) {
  const text = h.unique(label);
  const r = await api().post({ post: text, platforms, ...extra });
  h.assertPostSuccess(r, text, platforms);
  return r;
}

const ids = (r) => h.historyList(r).map((p) => p.id);

describe("social-media-api 1.3.0: history window and filters", () => {
  test("startDate/endDate are inclusive and win over lastDays", { timeout: T }, async () => {
    const made = [];
    for (const label of ["window a", "window b", "window c"]) {
      const r = await publish(label);
      made.push({ id: r.id, created: (await api().getPost({ id: r.id })).created });
    }
    const [a, b, c] = made;
    assert.deepEqual(ids(await api().history({ startDate: b.created, endDate: b.created })), [b.id]);
    const fromB = ids(await api().history({ startDate: b.created, limit: 1000 }));
    assert.ok(fromB.includes(b.id) && fromB.includes(c.id) && !fromB.includes(a.id), JSON.stringify(fromB));
    const untilB = ids(await api().history({ endDate: b.created, limit: 1000 }));
    assert.ok(untilB.includes(a.id) && untilB.includes(b.id) && !untilB.includes(c.id), JSON.stringify(untilB));
    assert.deepEqual(ids(await api().history({ startDate: "2020-01-01", endDate: "2020-12-31", lastDays: 0 })), []);
  });

  test("bad values are 900 and name the field", { timeout: T }, async () => {
    for (const [params, field] of [
      [{ startDate: "tomorrow" }, "startDate"],
      [{ endDate: "2025-02-30" }, "endDate"],
      [{ limit: 0 }, "limit"],
      [{ status: "bogus" }, "status"],
    ]) {
      const r = await api().history(params);
      h.assertCatalogError(r, 900, JSON.stringify(params));
      assert.ok(String(r.details).includes(field), JSON.stringify(r));
    }
  });
});

describe("social-media-api 1.3.0: profiles filters and cursor", () => {
  test("refId and title filter; limit and cursor page through all", { timeout: T }, async () => {
    const tag = randomBytes(3).toString("hex");
    const made = [];
    try {
      for (let i = 0; i < 3; i++) {
        const r = await api().createProfile({ title: `compat node shapes ${tag} ${i}` });
        assert.equal(r.status, "success", JSON.stringify(r));
        made.push(r);
      }
      const byRef = await api().getProfiles({ refId: made[1].refId });
      assert.deepEqual(byRef.profiles.map((p) => p.title), [made[1].title]);
      const byTitle = await api().getProfiles({ title: made[2].title });
      assert.deepEqual(byTitle.profiles.map((p) => p.refId), [made[2].refId]);

      const seen = [];
      let params = { limit: 2 };
      for (let n = 0; n < 1000; n++) {
        const page = await api().getProfiles(params);
        assert.ok(page.profiles.length <= 2, JSON.stringify(page));
        seen.push(...page.profiles.map((p) => p.refId));
        if (!page.hasMore) {
          assert.equal(page.nextCursor ?? null, null);
          break;
        }
        params = { limit: 2, cursor: page.nextCursor };
      }
      assert.equal(new Set(seen).size, seen.length, "a profile on two pages");
      for (const m of made) assert.ok(seen.includes(m.refId), m.refId);
    } finally {
      for (const m of made) await api().deleteProfile({ profileKey: m.profileKey });
    }
  });
});

describe("social-media-api 1.3.0: Ayrshare's documented keys", () => {
  test("analyticsPost: Facebook and Bluesky keys", { timeout: T }, async () => {
    const r = await publish("analytics fb", ["facebook", "bluesky"]);
    const a = await api().analyticsPost({ id: r.id });
    assert.equal(a.status, "success", JSON.stringify(a));
    has(a.facebook, ["id", "postUrl", "analytics"], "facebook");
    has(a.facebook.analytics, ["likeCount", "commentsCount", "sharesCount", "reactionsByType", "videoViews", "impressionsUnique"], "facebook");
    has(a.bluesky.analytics, ["likeCount", "repostCount", "replyCount", "quoteCount"], "bluesky");
  });

  test("analyticsSocial: Facebook followersCount/name/link, YouTube id", { timeout: T }, async () => {
    const s = await api().analyticsSocial({ platforms: ["facebook", "youtube"] });
    assert.equal(s.status, "success", JSON.stringify(s));
    has(s.facebook.analytics, ["followersCount", "fanCount", "name", "link"], "facebook");
    has(s.youtube.analytics, ["id", "channelId", "subscriberCount"], "youtube");
    assert.equal(s.youtube.analytics.id, s.youtube.analytics.channelId);
  });

  test("history/:platform: lastUpdated, nextUpdate, per-post fields", { timeout: T }, async () => {
    await publish("network history", ["facebook"]);
    const r = await api().history({ platform: "facebook" });
    assert.equal(r.status, "success", JSON.stringify(r));
    has(r, ["lastUpdated", "nextUpdate", "posts"], "history/facebook");
    has(r.posts[0], ["id", "post", "postUrl", "created", "likeCount", "commentsCount", "sharesCount"], "facebook post");
  });

  test("user: email, displayNames[].id/profileUrl", { timeout: T }, async () => {
    const u = await api().user();
    assert.ok("email" in u, JSON.stringify(u));
    const fb = u.displayNames.find((n) => n.platform === "facebook");
    has(fb, ["platform", "id", "displayName", "profileUrl", "created"], "displayNames[facebook]");
  });

  test("shortLinkAnalytics: Ayrshare's keys", { timeout: T }, async () => {
    const link = await api().shortLink({ url: "https://example.com/compat-shapes-node" });
    has(link, ["status", "id", "shortUrl", "originalUrl"], "shortLink");
    const a = await api().shortLinkAnalytics({ id: link.id });
    has(a.analytics, ["totalClicks", "refererCounts", "browserCounts", "originalUrl", "shortUrl"], "shortLinkAnalytics");
  });
});
