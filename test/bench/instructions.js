// `BENCH_ONLY=instr npm run bench`: CPU instructions per request inside
// workerd, ours and plain, counted by valgrind's callgrind rather than timed,
// so that two runs agree to about 1 % on a noisy machine where timings move
// by 20 % or more. Needs valgrind (installed with apt-get when run as root).
//
// Two workerd processes (one for ours, one for plain-worker.js) run under
// callgrind, each serving instr-worker.js with a predictable V8 (one thread,
// a fixed GC schedule) that writes a perf map of its generated code. After a
// warm-up (uncounted) of both endpoints, for each endpoint: the counters are
// zeroed, a batch of N requests runs (RealtimeKit answered in-process) and
// ends with a full garbage collection, and the counters are dumped; twice,
// and the second batch is the figure. Instructions per request = the dump's
// total / N. The dump's
// per-address costs, matched against the perf map and workerd's symbols, say
// where they went: the C core's wasm, the shim's JavaScript, V8 builtins,
// V8's runtime, workerd, the allocator, the garbage collector. A build of
// the same code with its function names (tools/build.js --names) names the C
// core's wasm functions; and V8's own JSON code (JSON.parse, JSON.stringify)
// is summed apart, because it does the work plain does where ours runs wasm.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { get } from "node:http";
import { join } from "node:path";
import { freePort } from "../support/node-helpers.js";
import { functionNames, codeSection } from "./wasm-names.js";
import { BENCH_ENV, bundle, capnp, requireTool, root, serve, sh, workerdBinary } from "./workerd.js";

const N = Number(process.env.BENCH_INSTR_N ?? 3000);
// Requests per endpoint before counting, both endpoints in turn, as a busy
// isolate sees them. V8 recompiles hot JavaScript and wasm in the background
// of a long-lived isolate; here (one thread) that would be counted, so the
// warm-up runs until it is done: two batches in a row then cost the same.
const WARM = Number(process.env.BENCH_INSTR_WARM ?? 20000);
const WARM_CHUNK = 1000;
const ENDPOINTS = ["session", "token"];
const TOP = Number(process.env.BENCH_INSTR_TOP ?? 0); // also print the N symbols ours and plain differ most on
const WASM_TOP = 12; // the C core's functions listed by name
const WASM_FUNCTION = /^JS:wasm-function\[(\d+)\]/;
const V8_JSON = /^v8::internal::.*Json/; // V8's JSON.parse and JSON.stringify
// BENCH_INSTR_TIERING=eager: wasm compiled by TurboFan up front (V8's
// --no-wasm-dynamic-tiering), so that every wasm function is in the perf map
// under its index. The default (dynamic tiering, as deployed) tiers hot
// functions up while it runs, and this V8 does not write that code to the perf
// map: it is counted as the C core's by where it lies, but by function only as
// "tiered up, unnamed".
const EAGER = process.env.BENCH_INSTR_TIERING === "eager";
const V8_FLAGS = ["--predictable", "--predictable-gc-schedule", "--expose-gc", "--perf-basic-prof", ...(EAGER ? ["--no-wasm-dynamic-tiering"] : [])];
const TIERED_UP = -1; // byWasm's key for wasm code the perf map does not name
// V8 keeps a module's wasm code in one reservation: generated code no perf map
// entry covers, within this distance of the first named wasm function, is the
// C core's code tiered up (JavaScript's code and the builtins lie elsewhere).
const WASM_SPAN = 256 * 1024 * 1024;
const ENV = { ...BENCH_ENV, REALTIMEKIT_API_BASE: "https://api.cloudflare.com/client/v4" }; // fetch() is answered in-process

// The perf map V8 writes: [start, end, name] ranges, sorted and disjoint. A
// later line wins over the bytes it covers (code space is reused).
function readPerfMap(file) {
  let painted = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = line.match(/^([0-9a-f]+) ([0-9a-f]+) (.*)$/);
    if (!m) continue;
    const start = parseInt(m[1], 16);
    const end = start + parseInt(m[2], 16);
    const next = [];
    for (const r of painted) {
      if (r[1] <= start || r[0] >= end) next.push(r);
      else {
        if (r[0] < start) next.push([r[0], start, r[2]]);
        if (r[1] > end) next.push([end, r[1], r[2]]);
      }
    }
    next.push([start, end, m[3]]);
    painted = next;
  }
  painted.sort((a, b) => a[0] - b[0]);
  const wasm = painted.filter((r) => WASM_FUNCTION.test(r[2]));
  const wasmStart = wasm.length > 0 ? Math.min(...wasm.map((r) => r[0])) : -1;
  return { ranges: painted, inWasm: (address) => wasmStart >= 0 && address >= wasmStart && address < wasmStart + WASM_SPAN };
}

function lookup(ranges, address) {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid][0] > address) hi = mid - 1;
    else if (ranges[mid][1] <= address) lo = mid + 1;
    else return ranges[mid][2];
  }
  return null;
}

// Where an instruction's cost goes.
function category(name, fn) {
  if (name !== null) {
    if (name.startsWith("Builtin:") || name.startsWith("BytecodeHandler:")) return "V8 builtins";
    if (/wasm-to-js|js-to-wasm/.test(name)) return "wasm <-> JS wrappers";
    if (/^JS:.*wasm-function\[/.test(name)) return "wasm (the C core)";
    if (name.startsWith("JS:") || name.startsWith("Script:") || name.startsWith("RegExp")) return "JavaScript (shim, plain-worker.js, bench)";
    return "other generated code";
  }
  if (/tcmalloc|operator new|operator delete/.test(fn)) return "allocator (tcmalloc)";
  if (/Scaveng|MarkCompact|Marking|Sweep|cppgc|Heap::|HeapObject|GCTracer/.test(fn)) return "garbage collector";
  if (/^Builtins_/.test(fn)) return "V8 builtins";
  if (/wasm/i.test(fn)) return "V8 wasm runtime (memory.copy, ...)";
  if (/workerd::|kj::|capnp::|jsg::/.test(fn)) return "workerd";
  const head = fn.split("(")[0]; // the name, without the parameters' types
  if (/v8::internal::(compiler|maglev|turboshaft)::/.test(head)) return "V8's compilers";
  if (/v8::internal::/.test(head)) return "V8 runtime";
  if (/v8::/.test(head)) return "V8's API (workerd's bindings call it)";
  return "libc, other";
}

// A callgrind dump (--dump-instr=yes, positions "instr line"): total
// instructions, their sum per category, per wasm function index, and in V8's
// JSON code. Code V8 generated at run time (the shim's JavaScript, wasm) has
// no object file: its positions are addresses, named by the perf map. Code in
// workerd's binary or a library (builtins included) is named by callgrind
// from the file's symbols; its positions are offsets in the file, which the
// perf map's addresses do not match.
function readDump(file, { ranges, inWasm }) {
  const names = new Map();
  const objects = new Map();
  let generated = false; // the current object is run-time code
  const byCategory = new Map();
  const bySymbol = new Map();
  const byWasm = new Map();
  let json = 0;
  const last = [0, 0];
  let fn = "?";
  let skipNext = false;
  let total = 0;
  const position = (token, k) => {
    if (token === "*") return last[k];
    if (token[0] === "+") return last[k] + Number(token.slice(1));
    if (token[0] === "-") return last[k] - Number(token.slice(1));
    return Number(token);
  };
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const c = line[0];
    if ((c >= "0" && c <= "9") || c === "+" || c === "-" || c === "*") {
      const parts = line.split(" ");
      last[0] = position(parts[0], 0);
      last[1] = position(parts[1], 1);
      if (skipNext) {
        skipNext = false; // a call's inclusive cost: counted in the callee
        continue;
      }
      const cost = Number(parts[2] ?? 0);
      total += cost;
      const symbol = generated ? lookup(ranges, last[0]) : null;
      const tieredUp = generated && symbol === null && inWasm(last[0]);
      const key = tieredUp ? "wasm (the C core)" : category(symbol, fn);
      byCategory.set(key, (byCategory.get(key) ?? 0) + cost);
      const wasm = symbol === null ? null : WASM_FUNCTION.exec(symbol);
      const index = wasm ? Number(wasm[1]) : tieredUp ? TIERED_UP : null;
      if (index !== null) byWasm.set(index, (byWasm.get(index) ?? 0) + cost);
      else if (symbol === null && V8_JSON.test(fn)) json += cost;
      if (TOP > 0) {
        const name = symbol ?? fn;
        bySymbol.set(name, (bySymbol.get(name) ?? 0) + cost);
      }
    } else if (line.startsWith("ob=") || line.startsWith("cob=")) {
      const m = line.match(/^c?ob=\((\d+)\)(?: (.*))?$/);
      if (m[2] !== undefined) objects.set(m[1], m[2]);
      const object = objects.get(m[1]) ?? "";
      if (line[0] === "o") generated = object === "" || object === "???";
    } else if (line.startsWith("fn=")) {
      const m = line.match(/^fn=\((\d+)\)(?: (.*))?$/);
      if (m[2] !== undefined) names.set(m[1], m[2]);
      fn = names.get(m[1]) ?? "?";
    } else if (line.startsWith("cfn=")) {
      const m = line.match(/^cfn=\((\d+)\)(?: (.*))?$/);
      if (m?.[2] !== undefined) names.set(m[1], m[2]);
    } else if (line.startsWith("calls=")) {
      skipNext = true;
    }
  }
  return { total, byCategory, bySymbol, byWasm, json };
}

// The names of the functions a C file defines (at the start of a line, as
// src/ and cJSON.c write them; cJSON's public ones as CJSON_PUBLIC(type) name).
function definedFunctions(text) {
  const names = new Set();
  for (const line of text.split("\n")) {
    if (/^[\s#/*]|;\s*$/.test(line)) continue;
    const m =
      /^CJSON_PUBLIC\([^)]*\)\s*(\w+)\s*\(/.exec(line) ?? /^(?:(?:static|inline|const|unsigned|struct|enum)\s+)*\w+[\s*]+(\w+)\s*\(/.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
}

// The names of the bundled module's functions, from a build of the same code
// that keeps them, and where each comes from (cJSON, src/, else libc); null
// (indices only) when that build's code differs.
function wasmNames(dir) {
  const named = join(dir, "names");
  sh(process.execPath, [join(root, "tools/build.js"), "--names", "--out", named]);
  const bundled = readdirSync(dir).find((f) => f.endsWith(".wasm"));
  const withNames = readFileSync(join(named, "vc.wasm"));
  if (!codeSection(withNames).equals(codeSection(readFileSync(join(dir, bundled))))) return null;
  const cjsonDir = sh(process.execPath, [join(root, "tools/build.js"), "deps"]).trim();
  const cjson = definedFunctions(readFileSync(join(cjsonDir, "cJSON.c"), "utf8"));
  const ours = new Set();
  for (const f of readdirSync(join(root, "src"))) for (const name of definedFunctions(readFileSync(join(root, "src", f), "utf8"))) ours.add(name);
  const names = functionNames(withNames);
  const origin = (index) => {
    const name = names.get(index)?.replace(/_\d+$/, ""); // binaryen tells static functions of one name apart: prepare_149
    return cjson.has(name) ? "cJSON" : ours.has(name) ? "src/ (ours)" : "libc and the rest";
  };
  return { names, origin };
}

async function startCounted(dir, port) {
  const config = capnp(dir, port, ENV, { name: `instr-${port}`, main: "instr-worker.js", v8Flags: V8_FLAGS });
  const wrap = ["valgrind", "--tool=callgrind", "--dump-instr=yes", "--instr-atstart=no", `--callgrind-out-file=${dir}/cg.${port}.%p`];
  const proc = await serve(workerdBinary(), config, port, { wrap, timeoutMs: 300_000, cwd: dir });
  return { proc, port, dir };
}

// One batch, on a connection of its own: workerd under valgrind may close an
// idle kept-alive connection just as fetch() reuses it.
function batch(target, worker, endpoint, n) {
  return new Promise((resolve, reject) => {
    const path = `/?worker=${worker}&endpoint=${endpoint}&n=${n}`;
    const req = get({ host: "127.0.0.1", port: target.port, path, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`${worker} ${endpoint}: ${res.statusCode} ${text.slice(0, 200)}`))));
    });
    req.on("error", reject);
  });
}

// Both endpoints, WARM requests each, in chunks taken in turn; callgrind
// counts nothing meanwhile (--instr-atstart=no), which is several times faster.
async function warmUp(target, worker) {
  for (let done = 0; done < WARM; done += WARM_CHUNK) {
    for (const endpoint of ENDPOINTS) await batch(target, worker, endpoint, Math.min(WARM_CHUNK, WARM - done));
  }
}

// The instructions of N requests, from a dump taken around them.
async function count(target, worker, endpoint, dumpNumber) {
  const pid = String(target.proc.pid);
  sh("callgrind_control", ["-i", "on", pid]);
  sh("callgrind_control", ["-z", pid]);
  await batch(target, worker, endpoint, N);
  sh("callgrind_control", ["-d", `${worker}-${endpoint}`, pid]);
  sh("callgrind_control", ["-i", "off", pid]);
  const file = join(target.dir, `cg.${target.port}.${pid}.${dumpNumber}`);
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  let size = -1;
  while (statSync(file).size !== size) {
    size = statSync(file).size;
    await new Promise((r) => setTimeout(r, 300));
  }
  const dump = readDump(file, readPerfMap(`/tmp/perf-${pid}.map`));
  const perRequest = (m) => new Map([...m].map(([key, v]) => [key, v / N]));
  return {
    perRequest: dump.total / N,
    byCategory: perRequest(dump.byCategory),
    bySymbol: perRequest(dump.bySymbol),
    byWasm: perRequest(dump.byWasm),
    json: dump.json / N,
  };
}

const k = (v) => `${(v / 1000).toFixed(1)}K`;

export async function instructionCounts() {
  requireTool(["callgrind_control", "--version"], "valgrind", "BENCH_ONLY=instr");
  const dir = join(root, "build/bench/instr");
  bundle(dir, ["-c", "test/bench/instr.wrangler.toml"]);
  const names = wasmNames(dir);
  if (!names) console.log("The build with names has other code than the bundle's: wasm functions are shown by index.");
  console.log(`Counting instructions: workerd under callgrind, ${N} requests per batch after ${WARM} per endpoint to warm up (a few minutes)${EAGER ? "; wasm compiled by TurboFan up front (BENCH_INSTR_TIERING=eager)" : ""}...`);
  const targets = { ours: await startCounted(dir, await freePort()), plain: await startCounted(dir, await freePort()) };
  const results = {};
  const steady = [];
  try {
    await Promise.all(["ours", "plain"].map((w) => warmUp(targets[w], w)));
    let dump = 0;
    for (const endpoint of ENDPOINTS) {
      // Two batches in a row: the second is the figure, and how far the first
      // is from it says whether the warm-up was long enough.
      const rounds = [];
      for (let round = 0; round < 2; round++) {
        dump++;
        const [ours, plain] = await Promise.all(["ours", "plain"].map((w) => count(targets[w], w, endpoint, dump)));
        rounds.push({ ours, plain });
      }
      results[endpoint] = rounds[1];
      for (const w of ["ours", "plain"]) steady.push(`${endpoint} ${w} ${k(rounds[0][w].perRequest)} then ${k(rounds[1][w].perRequest)}`);
    }
  } finally {
    for (const t of Object.values(targets)) {
      t.proc.kill("SIGTERM");
      rmSync(`/tmp/perf-${t.proc.pid}.map`, { force: true });
    }
  }
  console.log(`\nTwo batches in a row after the warm-up (the second is the figure): ${steady.join("; ")}.`);
  console.log("\nInstructions per request inside workerd (callgrind; RealtimeKit answered in-process):");
  console.log("endpoint  ours       plain      ours/plain");
  for (const [endpoint, r] of Object.entries(results)) {
    console.log(`${endpoint.padEnd(9)} ${k(r.ours.perRequest).padEnd(10)} ${k(r.plain.perRequest).padEnd(10)} ${(r.ours.perRequest / r.plain.perRequest).toFixed(3)}`);
  }
  for (const [endpoint, r] of Object.entries(results)) {
    console.log(`\nWhere a ${endpoint} request's instructions go (per request; ours − plain is what ours costs more):`);
    const keys = [...new Set([...r.ours.byCategory.keys(), ...r.plain.byCategory.keys()])];
    const get = (m, key) => m.get(key) ?? 0;
    keys.sort((a, b) => get(r.plain.byCategory, a) - get(r.ours.byCategory, a) - (get(r.plain.byCategory, b) - get(r.ours.byCategory, b)));
    console.log(`  ${"".padEnd(42)} ${"ours".padStart(8)} ${"plain".padStart(8)} ${"ours−plain".padStart(11)}`);
    for (const key of keys) {
      const a = get(r.ours.byCategory, key);
      const b = get(r.plain.byCategory, key);
      console.log(`  ${key.padEnd(42)} ${k(a).padStart(8)} ${k(b).padStart(8)} ${k(a - b).padStart(11)}`);
    }
  }
  for (const [endpoint, r] of Object.entries(results)) {
    console.log(`\nThe C core's wasm in a ${endpoint} request, by function (ours, per request):`);
    const functions = [...r.ours.byWasm].sort((a, b) => b[1] - a[1]);
    for (const [index, cost] of functions.slice(0, WASM_TOP)) {
      const name = index === TIERED_UP ? "tiered up while running, unnamed (BENCH_INSTR_TIERING=eager names them)" : names?.names.get(index) ?? `wasm-function[${index}]`;
      console.log(`  ${k(cost).padStart(8)}  ${name}`);
    }
    const rest = functions.slice(WASM_TOP).reduce((sum, [, cost]) => sum + cost, 0);
    console.log(`  ${k(rest).padStart(8)}  the other ${Math.max(0, functions.length - WASM_TOP)} functions`);
    if (!names) continue;
    const byOrigin = new Map();
    const origin = (index) => (index === TIERED_UP ? "tiered up, unnamed" : names.origin(index));
    for (const [index, cost] of functions) byOrigin.set(origin(index), (byOrigin.get(origin(index)) ?? 0) + cost);
    console.log(`  by origin: ${[...byOrigin].sort((a, b) => b[1] - a[1]).map(([o, cost]) => `${o} ${k(cost)}`).join(", ")}`);
  }
  console.log("\nV8's JSON code (JSON.parse, JSON.stringify), per request:");
  for (const [endpoint, r] of Object.entries(results)) console.log(`  ${endpoint.padEnd(9)} ours ${k(r.ours.json)}, plain ${k(r.plain.json)}`);
  if (TOP > 0) {
    for (const [endpoint, r] of Object.entries(results)) {
      console.log(`\nThe ${TOP} symbols a ${endpoint} request differs most on (ours − plain, per request):`);
      const keys = [...new Set([...r.ours.bySymbol.keys(), ...r.plain.bySymbol.keys()])];
      const diff = (key) => (r.ours.bySymbol.get(key) ?? 0) - (r.plain.bySymbol.get(key) ?? 0);
      keys.sort((a, b) => Math.abs(diff(b)) - Math.abs(diff(a)));
      for (const key of keys.slice(0, TOP)) console.log(`  ${k(diff(key)).padStart(8)}  ${key.slice(0, 110)}`);
    }
  }
  for (const f of readdirSync(dir)) if (f.startsWith("cg.") || f.endsWith("-v8.log")) rmSync(join(dir, f));
  return results;
}
