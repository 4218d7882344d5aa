// Legacy npm `social-post-api` 1.1.1 (class SocialPost, CommonJS, host app.ayrshare.com), unmodified,
// against crier. Run through compat/run.sh:
//   node --require ./redirect.cjs --test test/social-post-api.test.cjs
//
// What this SDK lacks: setProfileKey (it can only send the old body field `profileKeys`), X BYO
// headers, getPost, retryPost, shortLink/shortLinkAnalytics. Its client-side checks return an
// error object without any request; its feedGet() is broken (official-sdks.md §5.9, §5.10):
// both are tolerated here, not emulated.
"use strict";
const { describe, test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const h = require("./helpers.cjs");

h.requireRedirect();
const SocialPost = require("social-post-api");

const SAFE = ["telegram", "bluesky"];
const T = 30_000;
const WRONG_PARAMS = {
  status: "error",
  message: "Wrong parameters. Please check at https://docs.ayrshare.com/rest-api/endpoints",
};

const api = () => new SocialPost(h.API_KEY);

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

describe("social-post-api 1.1.1 (legacy): redirection and account", () => {
  test("the preload sends the SDK to crier, not to app.ayrshare.com", { timeout: T }, async () => {
    const { result, records } = await h.onWire(() => api().user());
    h.assertJsonObject(result, "user");
    assert.equal(records.length, 1);
    assert.ok(records[0].url.startsWith(`${h.CRIER_URL}/api/user?`), records[0].url);
    assert.equal(records[0].statusCode, 200);
  });

  test("user() lists the linked networks", { timeout: T }, async () => {
    const r = await api().user();
    h.assertJsonObject(r, "user");
    for (const n of SAFE) assert.ok(r.activeSocialAccounts.includes(n), JSON.stringify(r));
  });

  test("answers are application/json; charset=utf-8 (official-sdks.md §5.6)", { timeout: T }, async () => {
    const { records } = await h.onWire(async () => {
      await api().user();
      await api().history({ limit: 1 });
    });
    assert.equal(records.length, 2);
    for (const r of records) {
      assert.match(String(r.contentType), /^application\/json;\s*charset=utf-8$/i, `${r.method} ${r.url}: ${r.contentType}`);
    }
  });

  test("an invalid API key answers code 102", { timeout: T }, async () => {
    const bad = new SocialPost("not-a-valid-key");
    h.assertCatalogError(await bad.user(), 102, "user() with a bad key");
    h.assertCatalogError(await bad.post({ post: h.unique("bad key"), platforms: SAFE }), 102, "post() with a bad key");
  });
});

describe("social-post-api 1.1.1 (legacy): client-side checks never reach the server", () => {
  const cases = [
    ["post without platforms", (s) => s.post({ post: "x" })],
    ["post without text", (s) => s.post({ platforms: SAFE })],
    ["delete without id", (s) => s.delete({})],
    ["updatePost without id", (s) => s.updatePost({ notes: "n" })],
    ["analyticsPost without platforms", (s) => s.analyticsPost({ id: "x" })],
    ["shorten without url", (s) => s.shorten({})],
    ["createProfile without title", (s) => s.createProfile({})],
    ["deleteProfile without profileKey", (s) => s.deleteProfile({})],
  ];
  for (const [name, call] of cases) {
    test(name, { timeout: T }, async () => {
      const { result, records } = await h.onWire(async () => call(api()));
      assert.deepEqual(result, WRONG_PARAMS);
      assert.equal(records.length, 0, "no request must be sent");
    });
  }
});

describe("social-post-api 1.1.1 (legacy): post", () => {
  test("post() answers the success envelope", { timeout: T }, async () => {
    await publish("legacy post");
  });

  test("post() to an unknown platform: code 902", { timeout: T }, async () => {
    const r = await api().post({ post: h.unique("legacy unknown"), platforms: ["myspace"] });
    h.assertJsonObject(r, "post");
    assert.equal(r.status, "error", JSON.stringify(r));
    assert.ok(r.errors.some((e) => e.code === 902), JSON.stringify(r));
  });

  test("post() too long for Bluesky: code 132", { timeout: T }, async () => {
    const r = await api().post({ post: `${h.unique("legacy long")} ${"y".repeat(300)}`, platforms: SAFE });
    h.assertJsonObject(r, "post");
    assert.equal(r.status, "error", JSON.stringify(r));
    const e = r.errors.find((x) => x.code === 132);
    assert.ok(e, JSON.stringify(r));
    assert.equal(e.platform, "bluesky");
  });

  test("partial failure (sandbox fault on Bluesky): one error, one postId", { timeout: T }, async () => {
    await h.addFault({
      network: "bluesky",
      endpoint: "com.atproto.repo.createRecord",
      status: 400,
      body: { error: "InvalidRequest", message: "Record rejected" },
    });
    try {
      const r = await api().post({ post: h.unique("legacy partial"), platforms: SAFE });
      h.assertJsonObject(r, "post");
      assert.equal(r.status, "error", JSON.stringify(r));
      assert.equal(r.errors.length, 1, JSON.stringify(r));
      assert.equal(r.errors[0].platform, "bluesky");
      assert.ok(Number.isInteger(r.errors[0].code));
      assert.equal(r.postIds.length, 1, JSON.stringify(r));
      assert.equal(r.postIds[0].platform, "telegram");
    } finally {
      await h.clearFaults();
    }
  });
});

describe("social-post-api 1.1.1 (legacy): history", () => {
  test("history() lists the post", { timeout: T }, async () => {
    const p = await publish("legacy history");
    const list = h.historyList(await api().history());
    assert.equal(list[0].id, p.id, "newest first");
  });

  test("history({id}) → /history/{id} (the legacy SDK has no getPost)", { timeout: T }, async () => {
    const p = await publish("legacy history id");
    const r = await api().history({ id: p.id });
    h.assertJsonObject(r, "history({id})");
    assert.equal(r.id, p.id);
    assert.equal(r.status, "success");
  });

  test("history({platform}) → /history/{platform}", { timeout: T }, async () => {
    const p = await publish("legacy history platform");
    const r = await api().history({ platform: "bluesky" });
    h.assertJsonObject(r, "history({platform})");
    assert.equal(r.status, "success", JSON.stringify(r));
    const native = p.postIds.find((x) => x.platform === "bluesky").id;
    assert.ok(r.posts.some((x) => x.id === native), JSON.stringify(r).slice(0, 500));
  });
});

describe("social-post-api 1.1.1 (legacy): delete and updatePost", () => {
  test("delete() of a scheduled post cancels it", { timeout: T }, async () => {
    const s = await api().post({ post: h.unique("legacy scheduled"), platforms: SAFE, scheduleDate: h.future(7) });
    assert.equal(s.status, "scheduled", JSON.stringify(s));
    const r = await api().delete({ id: s.id });
    h.assertJsonObject(r, "delete");
    assert.equal(r.status, "success", JSON.stringify(r));
    for (const n of SAFE) assert.equal(r[n].cancelled, true, JSON.stringify(r));
  });

  test("delete() of a published post deletes it", { timeout: T }, async () => {
    const p = await publish("legacy published delete");
    const r = await api().delete({ id: p.id });
    h.assertJsonObject(r, "delete");
    assert.equal(r.status, "success", JSON.stringify(r));
    for (const n of SAFE) assert.equal(r[n].id, p.postIds.find((x) => x.platform === n).id, JSON.stringify(r));
  });

  test("updatePost() on a scheduled post", { timeout: T }, async () => {
    const s = await api().post({ post: h.unique("legacy update"), platforms: SAFE, scheduleDate: h.future(7) });
    assert.equal(s.status, "scheduled", JSON.stringify(s));
    try {
      const r = await api().updatePost({ id: s.id, notes: "legacy note" });
      h.assertJsonObject(r, "updatePost");
      assert.equal(r.status, "success", JSON.stringify(r));
      const g = await api().history({ id: s.id });
      assert.equal(g.notes, "legacy note", JSON.stringify(g));
    } finally {
      await api().delete({ id: s.id });
    }
  });

  test("updatePost() on a published post: a catalog error", { timeout: T }, async () => {
    const p = await publish("legacy update published");
    const { result, records } = await h.onWire(() => api().updatePost({ id: p.id, notes: "too late" }));
    h.assertCatalogError(result, undefined, "updatePost(published)");
    assert.equal(records.length, 1, `got retried: HTTP ${records.map((x) => x.statusCode)}`);
  });
});

describe("social-post-api 1.1.1 (legacy): analytics and links", () => {
  test("analyticsPost({id, platforms})", { timeout: T }, async () => {
    const p = await publish("legacy analytics");
    const r = await api().analyticsPost({ id: p.id, platforms: ["bluesky"] });
    h.assertJsonObject(r, "analyticsPost");
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.equal(typeof r.bluesky.analytics, "object");
  });

  test("analyticsSocial({platforms})", { timeout: T }, async () => {
    const r = await api().analyticsSocial({ platforms: SAFE });
    h.assertJsonObject(r, "analyticsSocial");
    assert.equal(r.status, "success", JSON.stringify(r));
    for (const n of SAFE) assert.equal(typeof r[n].analytics, "object");
  });

  test("shorten() → /shorten answers a shortUrl", { timeout: T }, async () => {
    const r = await api().shorten({ url: `https://example.com/legacy/${Date.now()}` });
    h.assertJsonObject(r, "shorten");
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.match(r.shortUrl, /^https?:\/\//);
  });
});

describe("social-post-api 1.1.1 (legacy): profiles", () => {
  test("createProfile, getProfiles, updateProfile, Profile-Key (156), deleteProfile", { timeout: T }, async () => {
    const title = `compat legacy ${Date.now()} ${Math.random().toString(36).slice(2, 8)}`;
    const c = await api().createProfile({ title });
    h.assertJsonObject(c, "createProfile");
    assert.equal(c.status, "success", JSON.stringify(c));
    assert.equal(typeof c.profileKey, "string");

    const list = await api().getProfiles();
    assert.ok(list.profiles.some((p) => p.refId === c.refId && p.title === title), JSON.stringify(list));

    const u = await api().updateProfile({ profileKey: c.profileKey, title: `${title} renamed` });
    h.assertJsonObject(u, "updateProfile");
    assert.equal(u.status, "success", JSON.stringify(u));
    const list2 = await api().getProfiles();
    assert.ok(list2.profiles.some((p) => p.refId === c.refId && p.title === `${title} renamed`), JSON.stringify(list2));

    // The legacy SDK has no setProfileKey; its instance's public `headers` object is what it sends.
    const sub = api();
    sub.headers["Profile-Key"] = c.profileKey;
    const r = await sub.post({ post: h.unique("legacy no networks"), platforms: ["telegram"] });
    h.assertJsonObject(r, "post via Profile-Key");
    assert.equal(r.status, "error", JSON.stringify(r));
    assert.equal(r.errors[0].code, 156, JSON.stringify(r));

    const d = await api().deleteProfile({ profileKey: c.profileKey });
    h.assertJsonObject(d, "deleteProfile");
    assert.equal(d.status, "success", JSON.stringify(d));
    const list3 = await api().getProfiles();
    assert.ok(!list3.profiles.some((p) => p.refId === c.refId));
  });
});

const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe("social-post-api 1.1.1 (legacy): media upload", () => {
  test("upload is stored and served by crier, media() lists it", { timeout: T }, async () => {
    const r = await api().upload({ file: PNG, fileName: "dot.png" });
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.ok(r.url.startsWith(`${h.CRIER_URL}/media/`), JSON.stringify(r));
    const listed = await api().media();
    assert.ok(listed.media.some((m) => m.id === r.id), JSON.stringify(listed));
  });
});

describe("social-post-api 1.1.1 (legacy): webhooks", () => {
  test("registerWebook (sic), listWebhooks, unregisterWebhook", { timeout: T }, async () => {
    // Loopback http is allowed in sandbox mode; nothing listens there (deliveries just fail).
    const url = "http://127.0.0.1:9/legacy-hook";
    const r = await api().registerWebook({ action: "social", url });
    assert.equal(r.status, "success", JSON.stringify(r));
    assert.equal(r.url, url);
    const listed = await api().listWebhooks();
    assert.equal(listed.social, url, JSON.stringify(listed));
    assert.match(listed.signingSecrets.social, /^whsec_/);
    const gone = await api().unregisterWebhook({ action: "social" });
    assert.equal(gone.status, "success", JSON.stringify(gone));
    assert.equal((await api().listWebhooks()).social, undefined);
  });
});

const UNSUPPORTED = [
  ["analyticsLinks", (s) => s.analyticsLinks({ lastDays: 7 })],
  ["feedAdd", (s) => s.feedAdd({ url: "https://example.com/rss", type: "rss" })],
  ["feedDelete", (s) => s.feedDelete({ id: "feed1" })],
  ["feedUpdate", (s) => s.feedUpdate({ id: "feed1", useFirstImage: true })],
  ["postComment", (s) => s.postComment({ id: "post1", platforms: ["facebook"], comment: "c" })],
  ["getComments", (s) => s.getComments({ id: "post1" })],
  ["getBrandByUser", (s) => s.getBrandByUser({ platforms: ["instagram"], instagramUser: "@a" })],
];

describe("social-post-api 1.1.1 (legacy): methods crier does not support answer 920", () => {
  for (const [name, call] of UNSUPPORTED) {
    test(`${name}()`, { timeout: T }, async () => {
      const { result, records } = await h.onWire(() => call(api()));
      h.assertCatalogError(result, 920, `${name}()`);
      assert.equal(records.length, 1, `${name}: got retried (HTTP ${records.map((r) => r.statusCode)})`);
    });
  }
});

describe("social-post-api 1.1.1 (legacy): the feedGet() bug is tolerated", () => {
  test("feedGet() sends no Authorization header: a JSON catalog error, and the instance still works", { timeout: T }, async () => {
    const s = api();
    const { result, records } = await h.onWire(() => s.feedGet());
    // Credentials travel in the query string, not as headers: crier must not accept them from there.
    h.assertCatalogError(result, undefined, "feedGet()");
    assert.ok([102, 920].includes(result.code), JSON.stringify(result));
    assert.equal(records.length, 1);
    // The bug leaves a bogus `source: npm` request header on the instance: later calls still work.
    assert.equal(s.headers.source, "npm");
    const u = await s.user();
    h.assertJsonObject(u, "user() after feedGet()");
    assert.ok(Array.isArray(u.activeSocialAccounts), JSON.stringify(u));
  });
});

describe("social-post-api 1.1.1 (legacy): linking (generateJWT, unlinkSocial)", () => {
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
