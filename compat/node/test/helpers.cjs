// Shared helpers of the Node suites: crier's coordinates (exported by compat/run.sh),
// the sandbox's control API, unique post texts, and assertions on crier's answers.
"use strict";
const assert = require("node:assert/strict");
const crypto = require("node:crypto");

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite through compat/run.sh`);
  return v;
}

const CRIER_URL = env("CRIER_URL").replace(/\/+$/, "");
const SANDBOX_URL = env("CRIER_SANDBOX_URL").replace(/\/+$/, "");
const API_KEY = env("CRIER_API_KEY");
const X_KEY = env("CRIER_X_KEY");
const X_SECRET = env("CRIER_X_SECRET");

/** Throws unless the redirect preload is active: never let an SDK reach the real Ayrshare. */
function requireRedirect() {
  const r = globalThis.__crierRedirect;
  if (!r || r.patched < 1 || r.target !== `${CRIER_URL}/api`) {
    throw new Error("redirect.cjs is not preloaded (node --require ./redirect.cjs ...): refusing to run");
  }
}

/** A post text no other test (or run) uses: the networks refuse duplicates. */
function unique(label) {
  return `crier compat ${label} ${new Date().toISOString()} ${crypto.randomBytes(4).toString("hex")}`;
}

/** An ISO date `days` days from now. */
function future(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

async function sandbox(method, path, body) {
  const res = await fetch(`${SANDBOX_URL}/_sandbox/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const addFault = (fault) => sandbox("POST", "faults", fault);
const clearFaults = () => sandbox("DELETE", "faults");

/** The SDKs resolve with got's error object when the body is not JSON: fail with what came back. */
function assertJsonObject(r, what) {
  assert.ok(!(r instanceof Error), `${what}: the SDK got no JSON object back (${r && r.name}: ${r && r.message})`);
  assert.equal(typeof r, "object", `${what}: expected a JSON object, got ${typeof r}: ${String(r).slice(0, 200)}`);
  assert.ok(r !== null, `${what}: null body`);
}

/** A flat catalog error: status "error" and an integer code (optionally a given one). */
function assertCatalogError(r, code, what = "answer") {
  assertJsonObject(r, what);
  assert.equal(r.status, "error", `${what}: ${JSON.stringify(r)}`);
  assert.ok(Number.isInteger(r.code), `${what}: no integer code in ${JSON.stringify(r)}`);
  if (code !== undefined) assert.equal(r.code, code, `${what}: ${JSON.stringify(r)}`);
}

/** The successful /post envelope for the given networks. */
function assertPostSuccess(r, text, platforms) {
  assertJsonObject(r, "post");
  assert.equal(r.status, "success", JSON.stringify(r));
  assert.deepEqual(r.errors, []);
  assert.equal(typeof r.id, "string");
  assert.ok(r.id.length > 0);
  assert.equal(typeof r.refId, "string");
  assert.equal(r.post, text);
  assert.ok(Array.isArray(r.postIds));
  assert.deepEqual(r.postIds.map((p) => p.platform).sort(), [...platforms].sort());
  for (const p of r.postIds) {
    assert.equal(p.status, "success", JSON.stringify(p));
    assert.equal(typeof p.id, "string", JSON.stringify(p));
    assert.ok(p.id.length > 0);
    assert.match(p.postUrl, /^https:\/\//, JSON.stringify(p));
  }
}

/** `/history` answers: crier wraps the list as {history: [...]}; Ayrshare sends a bare array. */
function historyList(r) {
  if (Array.isArray(r)) return r;
  assertJsonObject(r, "history");
  assert.ok(Array.isArray(r.history), `history: no list in ${JSON.stringify(r).slice(0, 300)}`);
  return r.history;
}

const RETRIED_BY_GOT = new Set([408, 413, 429, 500, 502, 503, 504, 521, 522, 524]);

/** Wire records (from redirect.cjs) made while `fn` ran. */
async function onWire(fn) {
  const wire = globalThis.__crierWire;
  const start = wire.length;
  const result = await fn();
  // got settles the SDK's chain and the recorder's side chain in the same tick; let it run.
  await new Promise((r) => setImmediate(r));
  return { result, records: wire.slice(start) };
}

module.exports = {
  CRIER_URL,
  SANDBOX_URL,
  API_KEY,
  X_KEY,
  X_SECRET,
  RETRIED_BY_GOT,
  requireRedirect,
  unique,
  future,
  sandbox,
  addFault,
  clearFaults,
  assertJsonObject,
  assertCatalogError,
  assertPostSuccess,
  historyList,
  onWire,
};
