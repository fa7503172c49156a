// cjson.js - finds cJSON's sources for the build: fetched, checked by sha256
// and cached, never committed. In order: CJSON_SRC (a directory holding the
// pinned files), the cache, upstream's release tarball, then the same tarball
// from Debian's archive (the .orig of Debian's source package), for machines
// that cannot reach upstream. Only Node's own fetch, crypto and zlib are used,
// and nothing needs root.
// Ownership: obtainCjson returns the cache directory's path and the files'
// bytes, both the caller's to keep.
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { sha256, writeAtomically } from "./files.js";
import { CJSON } from "./pins.js";
import { extractTopLevelFiles } from "./tar.js";

const FETCH_TIMEOUT_MS = 60_000;

export function defaultCacheDir() {
  if (process.env.VC_CACHE_DIR) return process.env.VC_CACHE_DIR;
  if (process.platform === "win32" && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, "video-call-worker");
  if (process.platform === "darwin") return join(homedir(), "Library", "Caches", "video-call-worker");
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "video-call-worker");
}

// The pinned files read from dir, or null when one is missing or differs.
/** @param {string} dir @returns {Record<string, Buffer> | null} */
function readVerified(dir) {
  /** @type {Record<string, Buffer>} */
  const files = {};
  for (const [name, want] of Object.entries(CJSON.files)) {
    const path = join(dir, name);
    if (!existsSync(path)) return null;
    const bytes = readFileSync(path);
    if (sha256(bytes) !== want) return null;
    files[name] = bytes;
  }
  return files;
}

// Debian archive mirrors: the machine's own apt sources first (a local mirror
// may be all it reaches), then Debian's CDN.
export function debianMirrors() {
  /** @type {string[]} */
  const uris = [];
  const collect = (/** @type {string} */ text) => {
    for (const m of text.matchAll(/^\s*deb(?:-src)?\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)) uris.push(m[1]);
    for (const m of text.matchAll(/^URIs:\s*(.+)$/gm)) uris.push(...m[1].trim().split(/\s+/));
  };
  try {
    if (existsSync("/etc/apt/sources.list")) collect(readFileSync("/etc/apt/sources.list", "utf8"));
    for (const name of existsSync("/etc/apt/sources.list.d") ? readdirSync("/etc/apt/sources.list.d") : []) {
      if (name.endsWith(".list") || name.endsWith(".sources")) collect(readFileSync(join("/etc/apt/sources.list.d", name), "utf8"));
    }
  } catch {
    // unreadable apt sources: Debian's CDN alone
  }
  const mirrors = uris.map((u) => u.replace(/\/+$/, "")).filter((u) => /^https?:\/\//.test(u) && /\/debian$/.test(u));
  return [...new Set([...mirrors, CJSON.debianMirror])];
}

/** @param {string} url */
async function download(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: "follow" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** @param {any} error whatever fetch threw */
function describe(error) {
  const cause = error?.cause?.code || error?.cause?.message;
  return cause ? `${error.message} (${cause})` : String(error?.message ?? error);
}

export function defaultSources() {
  return [
    { name: "upstream", url: CJSON.upstreamUrl },
    ...debianMirrors().map((mirror) => ({ name: `Debian's archive (${mirror})`, url: `${mirror}/${CJSON.debianPoolPath}` })),
  ];
}

// The release tarball from the first source that answers; its sha256 must be
// the pinned one, whichever source gave it.
/** @param {{ name: string, url: string }[]} sources @param {(line: string) => void} log */
async function fetchTarball(sources, log) {
  /** @type {string[]} */
  const failures = [];
  for (const source of sources) {
    let bytes;
    try {
      bytes = await download(source.url);
    } catch (error) {
      failures.push(`${source.url}: ${describe(error)}`);
      continue;
    }
    const got = sha256(bytes);
    if (got !== CJSON.tarballSha256) {
      throw new Error(`cJSON ${CJSON.version} from ${source.url} has sha256 ${got}, not the pinned ${CJSON.tarballSha256}; refusing it`);
    }
    const skipped = failures.length ? ` (unreachable: ${failures.join("; ")})` : "";
    log(`cJSON ${CJSON.version}: release tarball from ${source.name}, sha256 verified${skipped}`);
    return bytes;
  }
  throw new Error(
    `could not download cJSON ${CJSON.version}; tried:\n  ${failures.join("\n  ")}\n` +
      `Set CJSON_SRC to a directory holding cJSON.c, cJSON.h and LICENSE of cJSON ${CJSON.version}.`,
  );
}

// The tarball is kept beside the files it gave.
export const TARBALL_NAME = `cJSON-${CJSON.version}.tar.gz`;

/**
 * @param {{ cacheDir?: string, sources?: { name: string, url: string }[], log?: (line: string) => void }} [options]
 * @returns {Promise<{ dir: string, files: Record<string, Buffer> }>}
 */
export async function obtainCjson({ cacheDir = defaultCacheDir(), sources = defaultSources(), log = () => {} } = {}) {
  if (process.env.CJSON_SRC) {
    const files = readVerified(process.env.CJSON_SRC);
    if (!files) throw new Error(`CJSON_SRC=${process.env.CJSON_SRC} does not hold cJSON ${CJSON.version} with the pinned checksums`);
    return { dir: process.env.CJSON_SRC, files };
  }
  const dir = join(cacheDir, `cjson-${CJSON.version}`);
  const cached = readVerified(dir);
  if (cached) return { dir, files: cached };

  const tarball = await fetchTarball(sources, log);
  const members = extractTopLevelFiles(gunzipSync(tarball), Object.keys(CJSON.files));
  for (const [name, want] of Object.entries(CJSON.files)) {
    if (!members[name] || sha256(members[name]) !== want) throw new Error(`cJSON ${CJSON.version}: ${name} in the verified tarball does not match its pin`);
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of [...Object.entries(members), /** @type {const} */ ([TARBALL_NAME, tarball])]) writeAtomically(join(dir, name), bytes);
  const files = readVerified(dir);
  if (!files) throw new Error(`cJSON cache at ${dir} failed verification after writing`);
  log(`cJSON ${CJSON.version}: cached in ${dir}`);
  return { dir, files };
}
