// cJSON is fetched by the build, checked by sha256 and cached (tools/lib/cjson.js):
// a source that does not answer is passed over, one that serves other bytes
// is refused, and a cache whose files were changed is fetched anew. The
// sources here are HTTP servers on 127.0.0.1 serving the real tarball, which
// the build before the tests left in the cache.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TARBALL_NAME, defaultCacheDir, obtainCjson } from "../../tools/lib/cjson.js";
import { sha256 } from "../../tools/lib/files.js";
import { CJSON } from "../../tools/lib/pins.js";
import { extractTopLevelFiles } from "../../tools/lib/tar.js";
import { gunzipSync } from "node:zlib";
import { freePort } from "../support/node-helpers.js";

const tarball = readFileSync(join(defaultCacheDir(), `cjson-${CJSON.version}`, TARBALL_NAME));

describe("cJSON sources", () => {
  let server;
  let base;
  let work;
  const requests = [];
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "vc-cjson-test-"));
    server = createServer((req, res) => {
      requests.push(req.url);
      const body = req.url === "/good.tar.gz" ? tarball : Buffer.concat([tarball.subarray(0, 1000), Buffer.from("tampered")]);
      res.writeHead(200, { "content-type": "application/gzip" }).end(body);
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("passes over a source that does not answer and verifies what the next one serves", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const cacheDir = join(work, "fresh");
    const lines = [];
    const { dir, files } = await obtainCjson({
      cacheDir,
      sources: [{ name: "closed", url: `${closed}/x.tar.gz` }, { name: "local", url: `${base}/good.tar.gz` }],
      log: (line) => lines.push(line),
    });
    expect(dir).toBe(join(cacheDir, `cjson-${CJSON.version}`));
    for (const [name, pin] of Object.entries(CJSON.files)) {
      expect(sha256(files[name])).toBe(pin);
      expect(sha256(readFileSync(join(dir, name)))).toBe(pin);
    }
    expect(lines[0]).toMatch(/^cJSON 1\.7\.18: release tarball from local, sha256 verified \(unreachable: http:\/\/127\.0\.0\.1:\d+\/x\.tar\.gz: fetch failed \(ECONNREFUSED\)\)$/);
  });

  it("refuses a tarball whose sha256 is not the pinned one, and caches nothing", async () => {
    const cacheDir = join(work, "tampered");
    await expect(
      obtainCjson({ cacheDir, sources: [{ name: "bad", url: `${base}/bad.tar.gz` }, { name: "good", url: `${base}/good.tar.gz` }] }),
    ).rejects.toThrow(/from http:\/\/127\.0\.0\.1:\d+\/bad\.tar\.gz has sha256 [0-9a-f]{64}, not the pinned 3aa80684.*; refusing it/);
    expect(existsSync(join(cacheDir, `cjson-${CJSON.version}`, "cJSON.c"))).toBe(false);
  });

  it("fetches anew when a cached file was changed", async () => {
    const cacheDir = join(work, "changed");
    const sources = [{ name: "local", url: `${base}/good.tar.gz` }];
    const { dir } = await obtainCjson({ cacheDir, sources });
    writeFileSync(join(dir, "cJSON.c"), "int tampered;\n");
    const before = requests.length;
    const { files } = await obtainCjson({ cacheDir, sources });
    expect(requests.length).toBe(before + 1);
    expect(sha256(files["cJSON.c"])).toBe(CJSON.files["cJSON.c"]);
    expect(sha256(readFileSync(join(dir, "cJSON.c")))).toBe(CJSON.files["cJSON.c"]);
    // A verified cache is used as it is: no request.
    await obtainCjson({ cacheDir, sources });
    expect(requests.length).toBe(before + 1);
  });

  it("reads the pinned files out of the release tarball (its pax headers included)", () => {
    const members = extractTopLevelFiles(gunzipSync(tarball), ["cJSON.c", "cJSON.h", "LICENSE", "missing.c"]);
    expect(Object.keys(members).sort()).toEqual(["LICENSE", "cJSON.c", "cJSON.h"]);
    expect(sha256(members["cJSON.h"])).toBe(CJSON.files["cJSON.h"]);
  });
});
