// npm `social-media-api` 1.3.0 (class SocialMediaAPI), unmodified, against crier.
// Run through compat/run.sh:  node --require ./redirect.cjs --test test/social-media-api.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const h = require("./helpers.cjs");
h.requireRedirect();
const { default: SocialMediaAPI } = await import("social-media-api");

const NETWORKS = ["bluesky", "facebook", "instagram", "telegram", "threads", "twitter", "youtube"];
const SAFE = ["telegram", "bluesky"];
const T = 30_000; // per-test timeout: the SDKs set none (official-sdks.md §5.8)

const api = () => new SocialMediaAPI(h.API_KEY);

/** Publishes a fresh telegram+bluesky post and returns its envelope. */
async function publish(label) {
  const text = h.unique(label);
  const r = await api().post({ post: text, platforms: SAFE });
  h.assertPostSuccess(r, text, SAFE);
  return r;
}

before(async () => {
  await h.clearFaults();
});
after(async () => {
  await h.clearFaults();
});

describe("social-media-api 1.3.0: redirection and account", () => {
  test("the preload sends the SDK to crier, not to api.ayrshare.com", { timeout: T }, async () => {
    const { result, records } = await h.onWire(() => api().user());
    h.assertJsonObject(result, "user");
    assert.equal(records.length, 1);
    assert.ok(records[0].url.startsWith(`${h.CRIER_URL}/api/user?`), records[0].url);
    assert.equal(records[0].statusCode, 200);
  });

  test("user() lists the sandbox's linked networks", { timeout: T }, async () => {
    const r = await api().user();
    h.assertJsonObject(r, "user");
    assert.ok(Array.isArray(r.activeSocialAccounts), JSON.stringify(r));
    for (const n of NETWORKS) assert.ok(r.activeSocialAccounts.includes(n), `${n} not linked: ${JSON.stringify(r)}`);
    assert.ok(Array.isArray(r.displayNames));
    assert.ok(r.displayNames.some((d) => d.platform === "telegram" && typeof d.displayName === "string"));
    assert.equal(typeof r.refId, "string");
  });

  test("answers are application/json; charset=utf-8 (official-sdks.md §5.6)", { timeout: T }, async () => {
    const { records } = await h.onWire(async () => {
      await api().user();
      await api().history({ limit: 1 });
      await api().getPost({ id: "no-such-post-id" });
    });
    assert.equal(records.length, 3);
    for (const r of records) {
      assert.match(String(r.contentType), /^application\/json;\s*charset=utf-8$/i, `${r.method} ${r.url}: ${r.contentType}`);
    }
  });

  test("an invalid API key answers code 102", { timeout: T }, async () => {
    const bad = new SocialMediaAPI("not-a-valid-key");
    const { result, records } = await h.onWire(() => bad.user());
    h.assertCatalogError(result, 102, "user() with a bad key");
    assert.equal(records.length, 1, "a 102 must not be retried by got");
    assert.equal(records[0].statusCode, 401);
    const p = await bad.post({ post: h.unique("bad key"), platforms: SAFE });
    h.assertCatalogError(p, 102, "post() with a bad key");
  });
});

describe("social-media-api 1.3.0: post", () => {
  test("post() answers the success envelope", { timeout: T }, async () => {
    await publish("post");
  });

  test("post() to X with setTwitterByo(); without the keys: 419", { timeout: T }, async () => {
    const s = api().setTwitterByo(h.X_KEY, h.X_SECRET);
    const text = h.unique("x byo");
    h.assertPostSuccess(await s.post({ post: text, platforms: ["twitter"] }), text, ["twitter"]);
    s.clearTwitterByo();
    const r = await s.post({ post: h.unique("x no byo"), platforms: ["twitter"] });
    assert.equal(r.status, "error", JSON.stringify(r));
    assert.deepEqual(r.postIds, []);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].code, 419);
    assert.equal(r.errors[0].platform, "twitter");
  });

  test("post() to an unknown platform: status error, code 902", { timeout: T }, async () => {
    const r = await api().post({ post: h.unique("unknown"), platforms: ["telegram", "myspace"] });
    h.assertJsonObject(r, "post");
    assert.equal(r.status, "error", JSON.stringify(r));
    assert.ok(r.errors.some((e) => e.code === 902), JSON.stringify(r));
    assert.deepEqual(r.postIds, []);
  });

  test("post() too long for Bluesky: code 132 for bluesky", { timeout: T }, async () => {
    const text = `${h.unique("long")} ${"x".repeat(300)}`;
    const r = await api().post({ post: text, platforms: SAFE });
    h.assertJsonObject(r, "post");
    assert.equal(r.status, "error", JSON.stringify(r));
    const e = r.errors.find((x) => x.code === 132);
    assert.ok(e, JSON.stringify(r));
    assert.equal(e.platform, "bluesky");
    assert.deepEqual(r.postIds, [], "validation errors come before anything is sent");
  });

  test("partial failure (sandbox fault on Bluesky): one error, one postId", { timeout: T }, async () => {
    await h.addFault({
      network: "bluesky",
      endpoint: "com.atproto.repo.createRecord",
      status: 400,
      body: { error: "InvalidRequest", message: "Record rejected" },
    });
    try {
      const text = h.unique("partial");
      const r = await api().post({ post: text, platforms: SAFE });
      h.assertJsonObject(r, "post");
      assert.equal(r.status, "error", JSON.stringify(r));
      assert.equal(r.errors.length, 1, JSON.stringify(r));
      assert.equal(r.errors[0].platform, "bluesky");
      assert.ok(Number.isInteger(r.errors[0].code));
      assert.equal(r.errors[0].status, "error");
      assert.equal(r.postIds.length, 1, JSON.stringify(r));
      assert.equal(r.postIds[0].platform, "telegram");
      assert.equal(r.postIds[0].status, "success");
      assert.equal(typeof r.id, "string");
      assert.equal(r.post, text);
    } finally {
      await h.clearFaults();
    }
  });

  test("getPost({id}) reads the post back", { timeout: T }, async () => {
    const p = await publish("getPost");
    const r = await api().getPost({ id: p.id });
    h.assertJsonObject(r, "getPost");
    assert.equal(r.id, p.id);
    assert.equal(r.post, p.post);
    assert.equal(r.status, "success");
    assert.deepEqual(r.postIds.map((x) => x.platform).sort(), [...SAFE].sort());
  });

  test("getPost() of an unknown id: code 186", { timeout: T }, async () => {
    h.assertCatalogError(await api().getPost({ id: "noSuchPostId000000" }), 186, "getPost");
  });
});

describe("social-media-api 1.3.0: history", () => {
  test("history() lists the post, newest first", { timeout: T }, async () => {
    const p = await publish("history");
    const list = h.historyList(await api().history());
    assert.equal(list[0].id, p.id, "newest first");
  });

  test("history({limit, platforms[]}) with bracketed array params", { timeout: T }, async () => {
    const p = await publish("history filter");
    const list = h.historyList(await api().history({ limit: 5, lastDays: 1, platforms: SAFE }));
    assert.ok(list.length <= 5);
    assert.ok(list.some((x) => x.id === p.id), JSON.stringify(list).slice(0, 500));
  });

  test("history({id}) → /history/{id}", { timeout: T }, async () => {
    const p = await publish("history id");
    const r = await api().history({ id: p.id });
    h.assertJsonObject(r, "history({id})");
    assert.equal(r.id, p.id);
    assert.equal(r.post, p.post);
  });

  test("history({platform}) → /history/{platform}", { timeout: T }, async () => {
    const p = await publish("history platform");
    const r = await api().history({ platform: "bluesky" });
    h.assertJsonObject(r, "history({platform})");
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.ok(Array.isArray(r.posts), JSON.stringify(r));
    const native = p.postIds.find((x) => x.platform === "bluesky").id;
    assert.ok(r.posts.some((x) => x.id === native), `bluesky post ${native} not in ${JSON.stringify(r).slice(0, 500)}`);
  });
});

describe("social-media-api 1.3.0: delete", () => {
  test("delete() of a scheduled post cancels it", { timeout: T }, async () => {
    const text = h.unique("scheduled delete");
    const s = await api().post({ post: text, platforms: SAFE, scheduleDate: h.future(7) });
    h.assertJsonObject(s, "scheduled post");
    assert.equal(s.status, "scheduled", JSON.stringify(s));
    assert.equal(typeof s.id, "string");
    const r = await api().delete({ id: s.id });
    h.assertJsonObject(r, "delete");
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.equal(r.id, s.id);
    for (const n of SAFE) {
      assert.equal(r[n].status, "success", JSON.stringify(r));
      assert.equal(r[n].cancelled, true, JSON.stringify(r));
    }
  });

  test("delete() of a published post deletes it at the networks", { timeout: T }, async () => {
    const p = await publish("published delete");
    const r = await api().delete({ id: p.id });
    h.assertJsonObject(r, "delete");
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.equal(r.id, p.id);
    for (const n of SAFE) {
      assert.equal(r[n].status, "success", JSON.stringify(r));
      assert.equal(r[n].id, p.postIds.find((x) => x.platform === n).id);
    }
    const again = await api().getPost({ id: p.id });
    assert.equal(again.status, "deleted", JSON.stringify(again));
    h.assertCatalogError(await api().delete({ id: p.id }), 186, "second delete");
  });

  test("delete({bulk: [ids]}) deletes several posts", { timeout: T }, async () => {
    const a = await publish("bulk a");
    const b = await publish("bulk b");
    const r = await api().delete({ bulk: [a.id, b.id] });
    h.assertJsonObject(r, "delete(bulk)");
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.ok(Array.isArray(r.bulk), JSON.stringify(r));
    assert.deepEqual(r.bulk.map((x) => x.id).sort(), [a.id, b.id].sort());
    for (const x of r.bulk) assert.equal(x.status, "success", JSON.stringify(r));
  });
});

describe("social-media-api 1.3.0: retryPost", () => {
  test("retryPost({id, waitSeconds}) after a retryable failure answers the outcome; a second retry: 906", { timeout: 240_000 }, async () => {
    await h.addFault({ network: "telegram", endpoint: "sendMessage", status: 503, times: 0 });
    let p;
    try {
      p = await api().post({ post: h.unique("retry"), platforms: SAFE });
    } finally {
      await h.clearFaults();
    }
    h.assertJsonObject(p, "post");
    assert.equal(p.status, "error", JSON.stringify(p));
    assert.equal(p.errors.length, 1, JSON.stringify(p));
    assert.equal(p.errors[0].platform, "telegram");
    assert.equal(p.errors[0].code, 910);
    assert.equal(p.errors[0].retryAvailable, true);
    assert.deepEqual(p.postIds.map((x) => x.platform), ["bluesky"]);

    // waitSeconds (crier extension, in the body the SDK sends): the synchronous form.
    const { result: r, records } = await h.onWire(() => api().retryPost({ id: p.id, waitSeconds: 30 }));
    h.assertJsonObject(r, "retryPost");
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.postIds.map((x) => x.platform).sort(), [...SAFE].sort());
    assert.equal(records.length, 1, "PUT /post/retry must not be retried by got");

    h.assertCatalogError(await api().retryPost({ id: p.id }), 906, "second retryPost");
  });

  test("retryPost() answers pending at once, a re-sent retry while it runs answers the same, the post later reads success", { timeout: 240_000 }, async () => {
    await h.addFault({ network: "telegram", endpoint: "sendMessage", status: 503, times: 0 });
    let p;
    try {
      p = await api().post({ post: h.unique("retry pending"), platforms: SAFE });
    } finally {
      await h.clearFaults();
    }
    h.assertJsonObject(p, "post");
    assert.equal(p.errors.length, 1, JSON.stringify(p));
    assert.equal(p.errors[0].code, 910);
    assert.equal(p.errors[0].retryAvailable, true);

    // Telegram still fails once (503, retryable), then recovers; its answer is held back until
    // released, so the retry is certainly still running when the SDK asks again.
    await h.addFault({ network: "telegram", endpoint: "sendMessage", status: 503, times: 1 });
    await h.addFault({ network: "telegram", endpoint: "sendMessage", hold: true, skip: 1 });
    try {
      const { result: r, records } = await h.onWire(() => api().retryPost({ id: p.id }));
      h.assertJsonObject(r, "retryPost");
      assert.equal(r.status, "pending", JSON.stringify(r));
      assert.equal(r.id, p.id);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.retriedPlatforms, ["telegram"]);
      const telegram = r.postIds.find((x) => x.platform === "telegram");
      assert.deepEqual([telegram.status, telegram.id], ["pending", "pending"], JSON.stringify(r));
      assert.equal(r.postIds.find((x) => x.platform === "bluesky").status, "success", JSON.stringify(r));
      assert.equal(records.length, 1, "answered at once (200): nothing for got to re-send");
      assert.equal(records[0].statusCode, 200);

      // What got's re-sent PUT (on a 503) meets while the retry runs: the same pending state.
      const again = await api().retryPost({ id: p.id });
      h.assertJsonObject(again, "second retryPost");
      assert.equal(again.status, "pending", JSON.stringify(again));
      assert.equal(again.id, p.id);
    } finally {
      await h.sandbox("POST", "release");
      await h.clearFaults();
    }

    const deadline = Date.now() + 60_000;
    let post;
    for (;;) {
      post = await api().getPost({ id: p.id });
      h.assertJsonObject(post, "getPost");
      if (post.status !== "processing" && post.status !== "pending") break;
      assert.ok(Date.now() < deadline, `the retried post never settled: ${JSON.stringify(post)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(post.status, "success", JSON.stringify(post));
    assert.deepEqual(post.postIds.map((x) => x.platform).sort(), [...SAFE].sort());
    // The one retry has finished: now refused.
    h.assertCatalogError(await api().retryPost({ id: p.id }), 906, "retryPost after the retry finished");
  });

  test("retryPost() of a successful post: code 906", { timeout: T }, async () => {
    const p = await publish("retry success");
    h.assertCatalogError(await api().retryPost({ id: p.id }), 906, "retryPost");
  });
});

describe("social-media-api 1.3.0: updatePost", () => {
  test("updatePost({id, scheduleDate, notes}) on a scheduled post", { timeout: T }, async () => {
    const s = await api().post({ post: h.unique("update"), platforms: SAFE, scheduleDate: h.future(7) });
    assert.equal(s.status, "scheduled", JSON.stringify(s));
    try {
      const when = h.future(8);
      const { result: r, records } = await h.onWire(() => api().updatePost({ id: s.id, scheduleDate: when, notes: "moved a day" }));
      h.assertJsonObject(r, "updatePost");
      assert.equal(r.status, "success", JSON.stringify(r));
      assert.equal(records.length, 1);
      const g = await api().getPost({ id: s.id });
      assert.equal(g.notes, "moved a day", JSON.stringify(g));
      assert.equal(Date.parse(g.scheduleDate), Date.parse(when), JSON.stringify(g));
    } finally {
      await api().delete({ id: s.id });
    }
  });

  test("updatePost() on a published post: a catalog error", { timeout: T }, async () => {
    const p = await publish("update published");
    const { result: r, records } = await h.onWire(() => api().updatePost({ id: p.id, notes: "too late" }));
    h.assertCatalogError(r, undefined, "updatePost(published)");
    assert.equal(records.length, 1, `got retried: HTTP ${records.map((x) => x.statusCode)}`);
  });
});

describe("social-media-api 1.3.0: analytics", () => {
  test("analyticsPost({id, platforms})", { timeout: T }, async () => {
    const p = await publish("analytics");
    const r = await api().analyticsPost({ id: p.id, platforms: ["bluesky"] });
    h.assertJsonObject(r, "analyticsPost");
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.equal(r.id, p.id);
    assert.equal(r.bluesky.id, p.postIds.find((x) => x.platform === "bluesky").id);
    assert.equal(typeof r.bluesky.analytics, "object");
  });

  test("analyticsSocial({platforms})", { timeout: T }, async () => {
    const r = await api().analyticsSocial({ platforms: SAFE });
    h.assertJsonObject(r, "analyticsSocial");
    assert.equal(r.status, "success", JSON.stringify(r));
    for (const n of SAFE) assert.equal(typeof r[n].analytics, "object", JSON.stringify(r));
  });
});

describe("social-media-api 1.3.0: links", () => {
  test("shortLink() → shortUrl; a click shows in shortLinkAnalytics()", { timeout: T }, async () => {
    const url = `https://example.com/compat/${Date.now()}`;
    const r = await api().shortLink({ url, utmSource: "compat" });
    h.assertJsonObject(r, "shortLink");
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.match(r.shortUrl, /^https?:\/\//);
    assert.equal(typeof r.id, "string");
    const click = await fetch(r.shortUrl, { redirect: "manual" });
    assert.ok([301, 302, 303, 307, 308].includes(click.status), `short URL answered ${click.status}`);
    const a = await api().shortLinkAnalytics({ id: r.id });
    h.assertJsonObject(a, "shortLinkAnalytics");
    assert.equal(a.status, "success", JSON.stringify(a));
    assert.equal(a.analytics.totalClicks, 1, JSON.stringify(a));
    assert.equal(a.analytics.shortUrl, r.shortUrl);
  });

  test("shorten() → /shorten answers a shortUrl", { timeout: T }, async () => {
    const r = await api().shorten({ url: `https://example.com/shorten/${Date.now()}` });
    h.assertJsonObject(r, "shorten");
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.match(r.shortUrl, /^https?:\/\//);
  });

  test("shortLinkAnalytics() of an unknown id: a catalog error", { timeout: T }, async () => {
    h.assertCatalogError(await api().shortLinkAnalytics({ id: "noSuchLink" }), undefined, "shortLinkAnalytics");
  });
});

describe("social-media-api 1.3.0: profiles and Profile-Key", () => {
  test("createProfile, getProfiles, updateProfile, setProfileKey (156), deleteProfile", { timeout: T }, async () => {
    const title = `compat node ${Date.now()} ${Math.random().toString(36).slice(2, 8)}`;
    const c = await api().createProfile({ title });
    h.assertJsonObject(c, "createProfile");
    assert.equal(c.status, "success", JSON.stringify(c));
    assert.equal(c.title, title);
    assert.equal(typeof c.profileKey, "string");
    assert.equal(typeof c.refId, "string");

    const list = await api().getProfiles();
    h.assertJsonObject(list, "getProfiles");
    assert.ok(list.profiles.some((p) => p.refId === c.refId && p.title === title), JSON.stringify(list));

    const newTitle = `${title} renamed`;
    const u = await api().updateProfile({ profileKey: c.profileKey, title: newTitle });
    h.assertJsonObject(u, "updateProfile");
    assert.equal(u.status, "success", JSON.stringify(u));
    const list2 = await api().getProfiles();
    assert.ok(list2.profiles.some((p) => p.refId === c.refId && p.title === newTitle), JSON.stringify(list2));

    const sub = api().setProfileKey(c.profileKey);
    const who = await sub.user();
    assert.equal(who.refId, c.refId, JSON.stringify(who));
    assert.deepEqual(who.activeSocialAccounts, []);
    const r = await sub.post({ post: h.unique("no networks"), platforms: ["telegram"] });
    h.assertJsonObject(r, "post via Profile-Key");
    assert.equal(r.status, "error", JSON.stringify(r));
    assert.equal(r.errors[0].code, 156, JSON.stringify(r));
    assert.equal(r.errors[0].platform, "telegram");

    const d = await api().deleteProfile({ profileKey: c.profileKey });
    h.assertJsonObject(d, "deleteProfile");
    assert.equal(d.status, "success", JSON.stringify(d));
    assert.equal(d.refId, c.refId);
    const list3 = await api().getProfiles();
    assert.ok(!list3.profiles.some((p) => p.refId === c.refId), JSON.stringify(list3));
    h.assertCatalogError(await sub.user(), 904, "user() with a deleted Profile-Key");
  });
});

const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe("social-media-api 1.3.0: media upload", () => {
  test("upload is stored and served by crier, media() lists it", { timeout: T }, async () => {
    const r = await api().upload({ file: PNG, fileName: "dot.png", description: "a dot" });
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.ok(r.url.startsWith(`${h.CRIER_URL}/media/`), JSON.stringify(r));
    const listed = await api().media();
    assert.ok(listed.media.some((m) => m.id === r.id), JSON.stringify(listed));
  });
});

describe("social-media-api 1.3.0: verifyMediaExists", () => {
  test("a reachable URL exists; a private address is refused with 451", { timeout: T }, async () => {
    const ok = await api().verifyMediaExists({ mediaUrl: `${h.SANDBOX_URL}/media-host/cat.jpg` });
    assert.equal(ok.exists, true, JSON.stringify(ok));
    assert.equal(ok.contentType, "image/jpeg", JSON.stringify(ok));
    const refused = await api().verifyMediaExists({ mediaUrl: "https://169.254.169.254/latest/meta-data" });
    assert.equal(refused.code, 451, JSON.stringify(refused));
  });
});

// Capabilities crier does not have: each method once; a JSON catalog error (920), never HTML or empty.
const UNSUPPORTED = [
  ["mediaUploadUrl", (s) => s.mediaUploadUrl({ fileName: "t.png", contentType: "png" })],
  ["mediaMeta", (s) => s.mediaMeta({ url: "https://example.com/a.jpg" })],
  ["resizeImage", (s) => s.resizeImage({ imageUrl: "https://example.com/a.jpg", platform: "facebook" })],
  ["analyticsLinks", (s) => s.analyticsLinks({ lastDays: 7 })],
  ["feedAdd", (s) => s.feedAdd({ url: "https://example.com/rss", type: "rss" })],
  ["feedDelete", (s) => s.feedDelete({ id: "feed1" })],
  ["feedGet", (s) => s.feedGet()],
  ["feedUpdate", (s) => s.feedUpdate({ id: "feed1", useFirstImage: true })],
  ["postComment", (s) => s.postComment({ id: "post1", platforms: ["facebook"], comment: "c" })],
  ["getComments", (s) => s.getComments({ id: "post1" })],
  ["deleteComments", (s) => s.deleteComments({ id: "post1" })],
  ["replyComment", (s) => s.replyComment({ commentId: "c1", platforms: ["facebook"], comment: "r" })],
  ["getBrandByUser", (s) => s.getBrandByUser({ platforms: ["instagram"], instagramUser: "@a" })],
  ["generatePost", (s) => s.generatePost({ text: "t" })],
  ["generateRewrite", (s) => s.generateRewrite({ post: "t" })],
  ["generateTranscription", (s) => s.generateTranscription({ videoUrl: "https://example.com/v.mp4" })],
  ["generateTranslation", (s) => s.generateTranslation({ text: "t", lang: "fr" })],
  ["generateAltText", (s) => s.generateAltText({ url: "https://example.com/a.jpg" })],
  ["autoHashtags", (s) => s.autoHashtags({ post: "t" })],
  ["recommendHashtags", (s) => s.recommendHashtags({ keyword: "t" })],
  ["checkBannedHashtags", (s) => s.checkBannedHashtags({ hashtag: "t" })],
  ["reviews", (s) => s.reviews({ platform: "facebook" })],
  ["review", (s) => s.review({ id: "r1", platform: "gmb" })],
  ["replyReview", (s) => s.replyReview({ reviewId: "r1", platform: "facebook", reply: "x" })],
  ["deleteReplyReview", (s) => s.deleteReplyReview({ reviewId: "r1", platform: "facebook" })],
];

describe("social-media-api 1.3.0: methods crier does not support answer 920", () => {
  for (const [name, call] of UNSUPPORTED) {
    test(`${name}()`, { timeout: T }, async () => {
      const { result, records } = await h.onWire(() => call(api()));
      h.assertCatalogError(result, 920, `${name}()`);
      assert.equal(records.length, 1, `${name}: got retried (HTTP ${records.map((r) => r.statusCode)})`);
    });
  }
});

describe("social-media-api 1.3.0: linking (generateJWT, unlinkSocial)", () => {
  test("generateJWT gives the linking page's URL; unknown profile keys are 914; unlinkSocial of a network not linked is 156", { timeout: T }, async () => {
    const c = await api().createProfile({ title: `compat linking ${Date.now()} ${Math.random().toString(36).slice(2, 8)}` });
    assert.equal(c.status, "success", JSON.stringify(c));
    const j = await api().generateJWT({ domain: "acme", privateKey: "-----BEGIN", profileKey: c.profileKey });
    h.assertJsonObject(j, "generateJWT");
    assert.equal(j.status, "success", JSON.stringify(j));
    assert.ok(j.url.startsWith(`${h.CRIER_URL}/link/`), JSON.stringify(j));
    const u = await api().unlinkSocial({ profileKey: c.profileKey, platform: "telegram" });
    h.assertCatalogError(u, 156, "unlinkSocial() of a network not linked");
    for (const [name, call] of [
      ["generateJWT", (s) => s.generateJWT({ domain: "acme", privateKey: "-----BEGIN", profileKey: "pk" })],
      ["unlinkSocial", (s) => s.unlinkSocial({ profileKey: "pk", platform: "facebook" })],
    ]) {
      const { result, records } = await h.onWire(() => call(api()));
      h.assertCatalogError(result, 914, `${name}() with an unknown profile key`);
      assert.equal(records.length, 1);
    }
    assert.equal((await api().deleteProfile({ profileKey: c.profileKey })).status, "success");
  });
});
