// Issue 16 through npm `social-media-api` 1.3.0, unmodified: approval, pause and auto-schedule
// never publish early; a refused post answers with an `id`.
// Run through compat/run.sh:  node --require ./redirect.cjs --test test/holds.test.mjs
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const h = require("./helpers.cjs");
h.requireRedirect();
const { default: SocialMediaAPI } = await import("social-media-api");

const SAFE = ["telegram", "bluesky"];
const T = 30_000;
const api = () => new SocialMediaAPI(h.API_KEY);

/** Another post, published and answered: the worker ran since the held post was made. */
async function workerRan() {
  const text = h.unique("unrelated");
  h.assertPostSuccess(await api().post({ post: text, platforms: SAFE }), text, SAFE);
}

/** Reads the post until `done` says so (bounded). */
async function readUntil(id, done) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const p = await api().getPost({ id });
    if (done(p) || Date.now() > deadline) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("social-media-api 1.3.0: held posts", () => {
  test("requiresApproval holds the post until updatePost({approved: true})", { timeout: T }, async () => {
    const r = await api().post({ post: h.unique("approval"), platforms: SAFE, requiresApproval: true });
    assert.equal(r.status, "awaiting approval", JSON.stringify(r));
    await workerRan();
    assert.equal((await api().getPost({ id: r.id })).status, "awaiting approval");
    const u = await api().updatePost({ id: r.id, approved: true });
    assert.equal(u.status, "success", JSON.stringify(u));
    const p = await readUntil(r.id, (x) => x.status === "success" || x.status === "error");
    assert.equal(p.status, "success", JSON.stringify(p));
  });

  test("scheduledPause pauses and unpauses a scheduled post", { timeout: T }, async () => {
    const s = await api().post({ post: h.unique("pause"), platforms: SAFE, scheduleDate: h.future(7) });
    assert.equal(s.status, "scheduled", JSON.stringify(s));
    try {
      assert.equal((await api().updatePost({ id: s.id, scheduledPause: true })).status, "success");
      assert.equal((await api().getPost({ id: s.id })).status, "paused");
      assert.equal((await api().updatePost({ id: s.id, scheduledPause: false })).status, "success");
      assert.equal((await api().getPost({ id: s.id })).status, "pending");
    } finally {
      await api().delete({ id: s.id });
    }
  });

  test("setAutoSchedule, then autoSchedule places posts in free slots", { timeout: T }, async () => {
    const title = `node-${Date.now()}`;
    const set = await api().setAutoSchedule({ title, schedule: ["06:30Z", "18:00Z"] });
    assert.equal(set.status, "success", JSON.stringify(set));
    const listed = await api().listAutoSchedule();
    assert.deepEqual(listed.schedules[title].schedule, ["06:30Z", "18:00Z"]);
    const ids = [];
    try {
      for (const n of [0, 1]) {
        const p = await api().post({ post: h.unique(`auto ${n}`), platforms: SAFE, autoSchedule: { schedule: true, title } });
        assert.equal(p.status, "scheduled", JSON.stringify(p));
        assert.ok(["06:30", "18:00"].includes(p.scheduleDate.slice(11, 16)), p.scheduleDate);
        ids.push(p);
      }
      assert.ok(new Date(ids[1].scheduleDate) > new Date(ids[0].scheduleDate), `${ids[0].scheduleDate} then ${ids[1].scheduleDate}`);
    } finally {
      for (const p of ids) await api().delete({ id: p.id });
      assert.equal((await api().deleteAutoSchedule({ title })).status, "success");
    }
  });

  test("a refused post answers with an id", { timeout: T }, async () => {
    const r = await api().post({ post: h.unique("refused"), platforms: ["telegram", "myspace"] });
    assert.equal(r.status, "error", JSON.stringify(r));
    assert.equal(typeof r.id, "string");
    assert.equal((await api().getPost({ id: r.id })).status, "error");
  });
});
