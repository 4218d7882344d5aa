// Issue 16, point 8, through npm `social-media-api` 1.3.0, unmodified: text is counted the way
// each network counts it. At each limit the post is published (on the sandbox's emulator); one
// unit more is 132 before anything is sent, limit and overage in the network's unit.
// Run through compat/run.sh:  node --require ./redirect.cjs --test test/text-length.test.mjs
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const h = require("./helpers.cjs");
h.requireRedirect();
const { default: SocialMediaAPI } = await import("social-media-api");

const T = 30_000;
const api = () => new SocialMediaAPI(h.API_KEY);
const FAMILY = "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}"; // 1 grapheme, 25 bytes
const GRIN = "\u{1F600}"; // X: 2; UTF-16: 2

/** The tag that keeps each text unique (ASCII: 1 in every unit used here), then a space. */
const tag = (label) => `${h.unique(label)} `;

function refused132(r, platform, limit, overage) {
  assert.equal(r.status, "error", JSON.stringify(r));
  assert.deepEqual(r.postIds, []);
  assert.deepEqual(r.errors.map((e) => [e.code, e.platform]), [[132, platform]], JSON.stringify(r));
  const m = r.errors[0].message;
  assert.ok(m.includes(String(limit)) && m.includes(` ${overage} `), m);
  return r.errors[0];
}

describe("social-media-api 1.3.0: text counted per network", () => {
  test("X: 280 weighted (emoji 2); 141 × 😀 is 2 over", { timeout: T }, async () => {
    const s = api().setTwitterByo(h.X_KEY, h.X_SECRET);
    const t = tag("x weighted");
    const fill = 280 - t.length;
    const text = t + "a".repeat(fill % 2) + GRIN.repeat(Math.floor(fill / 2));
    h.assertPostSuccess(await s.post({ post: text, platforms: ["twitter"] }), text, ["twitter"]);
    const e = refused132(await s.post({ post: GRIN.repeat(141), platforms: ["twitter"] }), "twitter", 280, 2);
    assert.ok(e.details.startsWith("282 weighted"), JSON.stringify(e));
    s.clearTwitterByo();
  });

  test("Bluesky: 300 graphemes (60 family emoji are 60), and 3,000 bytes", { timeout: T }, async () => {
    const t = tag("bsky graphemes");
    const text = t + FAMILY.repeat(60) + "a".repeat(300 - 60 - t.length);
    h.assertPostSuccess(await api().post({ post: text, platforms: ["bluesky"] }), text, ["bluesky"]);
    let e = refused132(await api().post({ post: `${text}a`, platforms: ["bluesky"] }), "bluesky", 300, 1);
    assert.ok(e.details.startsWith("301 graphemes"), JSON.stringify(e));
    const b = tag("bsky bytes");
    const bytes = b + FAMILY.repeat(115) + "a".repeat(3000 - 25 * 115 - b.length);
    assert.equal(Buffer.byteLength(bytes), 3000);
    h.assertPostSuccess(await api().post({ post: bytes, platforms: ["bluesky"] }), bytes, ["bluesky"]);
    e = refused132(await api().post({ post: `${bytes}a`, platforms: ["bluesky"] }), "bluesky", 3000, 1);
    assert.ok(e.details.startsWith("3001 UTF-8 bytes"), JSON.stringify(e));
  });

  test("Telegram: 4,096 UTF-16 units (😀 is 2)", { timeout: T }, async () => {
    const t = tag("tg utf16");
    const text = t + GRIN.repeat(2000) + "a".repeat(4096 - 4000 - t.length);
    assert.equal(text.length, 4096); // JavaScript strings count UTF-16 units
    h.assertPostSuccess(await api().post({ post: text, platforms: ["telegram"] }), text, ["telegram"]);
    const e = refused132(await api().post({ post: text + GRIN, platforms: ["telegram"] }), "telegram", 4096, 2);
    assert.ok(e.details.includes("UTF-16"), JSON.stringify(e));
  });
});
