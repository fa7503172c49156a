// serve.js - serves the example call page (examples/call/) on its own origin,
// with the browser client and RealtimeKit's UI Kit and web SDK from the
// pinned npm packages (nothing from a CDN). `npm start` runs it beside the
// Worker; the browser tests run it too. Only the files below are served.
// Ownership: createExampleServer returns a server the caller closes.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const packageDir = (/** @type {string} */ name) => join(root, "node_modules", ...name.split("/"));

/** @type {Record<string, string>} */
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

// URL prefix -> folder; a path below a prefix is served only from inside its folder.
/** @returns {[string, string][]} */
function mounts() {
  return [
    ["/vendor/realtimekit-ui/", packageDir("@cloudflare/realtimekit-ui")],
    ["/vendor/realtimekit/", join(packageDir("@cloudflare/realtimekit"), "dist")],
    ["/client/", join(root, "client")],
    ["/", join(root, "examples", "call")],
  ];
}

/** @param {[string, string][]} table @param {string} pathname */
function fileFor(table, pathname) {
  for (const [prefix, dir] of table) {
    if (!pathname.startsWith(prefix)) continue;
    const rest = pathname.slice(prefix.length) || "index.html";
    const file = normalize(join(dir, rest));
    if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return null;
    return existsSync(file) && statSync(file).isFile() ? file : null;
  }
  return null;
}

/**
 * apiBase: the Worker's origin; emulator: whether it talks to the local RealtimeKit emulator;
 * devTokenUrl: the emulator's identity provider's token endpoint, when the page signs in a
 * development user (DEV_SIGN_IN=1 npm start): GET /dev-token?name=... answers { token } from it.
 * @param {{ apiBase: string, emulator: boolean, devTokenUrl?: string | null }} options
 */
export function createExampleServer({ apiBase, emulator, devTokenUrl = null }) {
  const config = `export default ${JSON.stringify({ apiBase, emulator: Boolean(emulator), signIn: devTokenUrl ? "dev" : null })};\n`;
  const table = mounts();
  return createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://example.invalid").pathname);
    } catch {
      pathname = null;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const headers = { "cache-control": "no-store", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };
    if (pathname === "/dev-token" && devTokenUrl && req.method === "GET") {
      const name = new URL(req.url ?? "/", "http://example.invalid").searchParams.get("name")?.slice(0, 100) || "Dev user";
      fetch(devTokenUrl, { method: "POST", body: JSON.stringify({ sub: "dev-user", name }) })
        .then((answer) => /** @type {Promise<{ token: string }>} */ (answer.json()))
        .then(({ token }) => res.writeHead(200, { ...headers, "content-type": "application/json" }).end(JSON.stringify({ token })))
        .catch(() => res.writeHead(502, { ...headers, "content-type": "text/plain" }).end("No development token\n"));
      return;
    }
    if (pathname === "/config.js") {
      res.writeHead(200, { ...headers, "content-type": TYPES[".js"] }).end(req.method === "HEAD" ? undefined : config);
      return;
    }
    const file = pathname && !pathname.includes("\0") ? fileFor(table, pathname) : null;
    if (!file) {
      res.writeHead(404, { ...headers, "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    res.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
}
