// Preload for Ayrshare's unmodified npm SDKs (`social-media-api`, legacy `social-post-api`).
//
// Both SDKs build absolute URLs from a private constant (https://api.ayrshare.com/api,
// resp. https://app.ayrshare.com/api) and call got@11's shortcut methods
// got.get/post/put/delete at call time. Those are plain writable properties of the
// shared got instance, so wrapping them rewrites the URL before any socket opens.
// ESM `import got from "got"` and CJS `require("got")` resolve to the same cached
// object, so this works for both SDKs. (official-sdks.md §2, §8.2)
//
//   CRIER_URL=http://127.0.0.1:PORT node --require ./redirect.cjs --test test/x.test.mjs
//
// Safety: a request to an ayrshare.com URL that somehow escaped the rewrite is refused,
// so a test run can never reach the real Ayrshare with a key.
//
// It also records every response it sees (method, url, HTTP status, content-type) in
// globalThis.__crierWire, so tests can check what the SDK hides (status codes, headers,
// and how many requests got's automatic retries made).
"use strict";
const { createRequire } = require("module");
const path = require("path");

if (!process.env.CRIER_URL) {
  throw new Error("redirect.cjs: CRIER_URL is not set (e.g. http://127.0.0.1:8080)");
}
const TARGET = process.env.CRIER_URL.replace(/\/+$/, "") + "/api";
const ORIGIN_RE = /^https:\/\/(?:api|app)\.ayrshare\.com\/api(?=\/|\?|$)/;
const wire = [];
const patched = new Set();

function record(method, url, res) {
  if (!res) {
    wire.push({ method, url, statusCode: null, contentType: null });
    return;
  }
  wire.push({ method, url, statusCode: res.statusCode, contentType: res.headers && res.headers["content-type"] });
}

function patchGotFrom(fromDir) {
  let got;
  try {
    got = createRequire(path.join(fromDir, "noop.js"))("got");
  } catch (_) {
    return;
  }
  if (patched.has(got)) return;
  patched.add(got);
  for (const m of ["get", "post", "put", "patch", "delete", "head"]) {
    const orig = got[m];
    got[m] = (url, opts) => {
      const target = typeof url === "string" ? url.replace(ORIGIN_RE, TARGET) : url;
      if (typeof target !== "string" || /ayrshare\.com/i.test(target)) {
        throw new Error(`redirect.cjs: refusing to send a request to ${String(target)}`);
      }
      const p = orig(target, opts);
      // A side chain only: the SDK's own .then/.catch on `p` are unaffected.
      p.then(
        (res) => record(m.toUpperCase(), target, res),
        (err) => record(m.toUpperCase(), target, err && err.response),
      );
      return p;
    };
  }
}

// got as seen from the working directory, and from each SDK's own folder
// (covers a nested node_modules/<sdk>/node_modules/got if npm could not hoist it).
patchGotFrom(process.cwd());
patchGotFrom(__dirname);
for (const sdk of ["social-media-api", "social-post-api"]) {
  try {
    patchGotFrom(path.dirname(require.resolve(sdk, { paths: [__dirname, process.cwd()] })));
  } catch (_) {
    /* SDK not installed here */
  }
}

globalThis.__crierRedirect = { target: TARGET, patched: patched.size };
globalThis.__crierWire = wire;
