// npm run bench: the Worker's own cost, measured against the floor.
//
// 1. Bundles the Worker with `wrangler deploy --dry-run --outdir` and serves the
//    bundle with `workerd serve` directly (wrangler dev's proxy caps throughput).
// 2. Serves, each from its own workerd process, the pass-through JavaScript
//    Worker (floor-worker.js), the same Worker reading both bodies into memory
//    (buffered-floor-worker.js), and the same job as ours done in plain
//    JavaScript (plain-worker.js); and a fast RealtimeKit stand-in
//    (standin.js) on 127.0.0.1.
// 3. Checks that ours and plain answer alike, then drives both endpoints of
//    all four Workers with wrk at fixed concurrency, in alternating rounds,
//    and prints medians: requests/s, p50/p99 latency, and workerd CPU time
//    per request from the process's own accounting (/proc).
// 4. Prints the in-isolate costs (isolate-worker.js) and the module's size.
// Everything talks only to 127.0.0.1, for a bounded time.
import "../../tools/lib/node-version.js"; // first: an older Node stops here, with one line
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { freePort } from "../support/node-helpers.js";
import { BENCH_ENV, bundle, capnp, requireTool, root, serve, workerdBinary } from "./workerd.js";
import { instructionCounts } from "./instructions.js";
import { startStandIn } from "./standin.js";
import { createRealtimeKitEmulator } from "../../tools/dev/realtimekit-emulator.js";

const out = join(root, "build/bench");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CLK_TCK = 100;
// BENCH_ONLY=isolate: only the in-isolate figures. BENCH_ONLY=ab: the build
// saved by `npm run bench -- save-base` against the current one, in one
// isolate (ab-worker.js), to screen a change. BENCH_ONLY=instr: instructions
// per request, counted rather than timed (instructions.js).
const ISOLATE_ONLY = process.env.BENCH_ONLY === "isolate";
const AB_ONLY = process.env.BENCH_ONLY === "ab";
const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const ENV = BENCH_ENV;

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function peakRssKiB(pid) {
  return Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmHWM:\s+(\d+)/)[1]);
}

function wrkScript(name, body) {
  const file = join(out, `${name}.lua`);
  writeFileSync(
    file,
    body ? `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n` : "",
  );
  return file;
}

function toMs(text) {
  const m = text.match(/([\d.]+)(us|ms|s)/);
  return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
}

// wrk runs asynchronously: the stand-in lives in this process's event loop.
async function load(url, script, pid, seconds = SECONDS) {
  const before = cpuTicks(pid);
  const { stdout: text } = await promisify(execFile)("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency", "-s", script, url]);
  const cpu = cpuTicks(pid) - before;
  const requests = Number(text.match(/(\d+) requests in/)[1]);
  if (requests === 0) throw new Error(`no requests completed against ${url}:\n${text}`);
  const non2xx = Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  if (non2xx > 0) throw new Error(`${non2xx} non-2xx answers from ${url}:\n${text}`);
  return {
    rps: Number(text.match(/Requests\/sec:\s+([\d.]+)/)[1]),
    p50: toMs(text.match(/^\s+50%\s+(\S+)/m)[1]),
    p99: toMs(text.match(/^\s+99%\s+(\S+)/m)[1]),
    cpuUs: ((cpu / CLK_TCK) * 1e6) / requests,
  };
}

// "floor": passes both bodies through as streams; "buffered": reads them into
// memory first (the least any Worker that looks at them can do); "plain": our
// job in plain JavaScript.
const WORKERS = ["ours", "plain", "floor", "buffered"];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (v, digits = 1) => (v === null || v === undefined ? "n/a" : v.toFixed(digits));

// The plain Worker is a fair reference only if it answers what ours answers.
async function sameAnswers(ports) {
  const bodies = { session: '{"name":"Standup"}', token: JSON.stringify({ meeting_id: MEETING, name: "Ada" }) };
  for (const [endpoint, body] of Object.entries(bodies)) {
    const answers = [];
    for (const worker of ["ours", "plain"]) {
      const res = await fetch(`http://127.0.0.1:${ports[worker]}/api/video-call/${endpoint}`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-ray": "8e0f1a2b3c4d5e6f-LHR" },
        body,
      });
      const headers = [...res.headers].filter(([name]) => !["date", "server-timing"].includes(name));
      answers.push(JSON.stringify({ status: res.status, headers, body: await res.text() }));
    }
    if (answers[0] !== answers[1]) throw new Error(`ours and plain answer ${endpoint} differently:\n${answers.join("\n")}`);
  }
}

// The shim and module as they are now, kept as the A/B baseline.
function saveBase() {
  const base = join(root, "build/ab/base");
  rmSync(base, { recursive: true, force: true });
  mkdirSync(join(base, "shim"), { recursive: true });
  for (const f of readdirSync(join(root, "shim"))) copyFileSync(join(root, "shim", f), join(base, "shim", f));
  copyFileSync(join(root, "build/vc.wasm"), join(base, "vc.wasm"));
  console.log(`saved build/ab/base (vc.wasm ${statSync(join(base, "vc.wasm")).size} bytes)`);
}

async function abScreen() {
  if (!statSync(join(root, "build/ab/base/vc.wasm"), { throwIfNoEntry: false })) saveBase(); // A/A
  mkdirSync(out, { recursive: true });
  bundle(join(out, "ab"), ["-c", "test/bench/ab.wrangler.toml"]);
  const standIn = await startStandIn();
  const port = await freePort();
  const proc = await serve(workerdBinary(), capnp(join(out, "ab"), port, { ...ENV, REALTIMEKIT_API_BASE: `${standIn.url}/client/v4`, STANDIN: standIn.url }, { main: "ab-worker.js" }), port);
  try {
    const ab = await (await fetch(`http://127.0.0.1:${port}/?n=${process.env.BENCH_AB_N ?? 42000}&rounds=${process.env.BENCH_AB_ROUNDS ?? 21}`)).json();
    console.log(`A/B in one isolate, ${ab.rounds} alternating rounds, ${ab.n} requests each (µs per request; medians):`);
    for (const endpoint of ["session", "token"]) {
      const { base, now } = ab[endpoint];
      const ratios = now.map((x, i) => x / base[i]);
      console.log(`  ${endpoint.padEnd(8)} base ${fmt(median(base), 2)}, now ${fmt(median(now), 2)}: now/base ${fmt(median(ratios), 3)} (rounds ${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)})`);
    }
  } finally {
    proc.kill("SIGTERM");
    standIn.server.closeAllConnections?.();
    standIn.server.close();
  }
}

async function main() {
  if (process.argv[2] === "save-base") return saveBase();
  if (AB_ONLY) return abScreen();
  if (process.env.BENCH_ONLY === "instr") return instructionCounts();
  requireTool(["wrk", "--version"], "wrk", "npm run bench");
  mkdirSync(out, { recursive: true });
  console.log("bundling (wrangler deploy --dry-run)...");
  const ours = ISOLATE_ONLY ? { upload: "not measured (BENCH_ONLY=isolate)" } : bundle(join(out, "ours"));
  copyFileSync(join(root, "build/vc.wasm"), join(out, "vc-bytes.bin"));
  bundle(join(out, "isolate"), ["-c", "test/bench/isolate.wrangler.toml"]);
  for (const [name, file] of [["floor", "floor-worker.js"], ["buffered", "buffered-floor-worker.js"], ["plain", "plain-worker.js"]]) {
    rmSync(join(out, name), { recursive: true, force: true });
    mkdirSync(join(out, name), { recursive: true });
    copyFileSync(join(root, "test/bench", file), join(out, name, file));
  }

  const standIn = await startStandIn();
  const binding = { ...ENV, REALTIMEKIT_API_BASE: `${standIn.url}/client/v4`, STANDIN: standIn.url };
  const ports = { isolate: await freePort() };
  for (const worker of WORKERS) ports[worker] = await freePort();
  const binary = workerdBinary();
  const procs = {};
  try {
    for (const name of ISOLATE_ONLY ? ["isolate"] : [...WORKERS, "isolate"]) {
      procs[name] = await serve(binary, capnp(join(out, name), ports[name], binding), ports[name]);
    }
    if (!ISOLATE_ONLY) {
      const scripts = {
        session: wrkScript("session", '{"name":"Standup"}'),
        token: wrkScript("token", JSON.stringify({ meeting_id: MEETING, name: "Ada" })),
      };
      await sameAnswers(ports);
      const results = {};
      for (const endpoint of ["session", "token"]) {
        for (const worker of WORKERS) await load(`http://127.0.0.1:${ports[worker]}/api/video-call/${endpoint}`, scripts[endpoint], procs[worker].pid, 1); // warm-up
        for (let round = 0; round < ROUNDS; round++) {
          for (const worker of round % 2 ? [...WORKERS].reverse() : WORKERS) {
            const r = await load(`http://127.0.0.1:${ports[worker]}/api/video-call/${endpoint}`, scripts[endpoint], procs[worker].pid);
            ((results[endpoint] ??= {})[worker] ??= []).push(r);
          }
        }
      }

      console.log(`\nLoad: wrk, 1 thread, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s; medians.`);
      console.log("endpoint  worker   req/s     p50 ms   p99 ms   workerd CPU µs/req");
      for (const endpoint of ["session", "token"]) {
        const m = {};
        for (const worker of WORKERS) {
          const rs = results[endpoint][worker];
          m[worker] = { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), cpu: median(rs.map((r) => r.cpuUs)) };
          console.log(`${endpoint.padEnd(9)} ${worker.padEnd(8)} ${fmt(m[worker].rps, 0).padStart(7)}  ${fmt(m[worker].p50, 2).padStart(7)}  ${fmt(m[worker].p99, 2).padStart(7)}  ${fmt(m[worker].cpu).padStart(8)}`);
        }
        // The same ratio round by round: how far one run's figure can be trusted.
        const spread = (a, b) => {
          const r = results[endpoint][a].map((x, i) => x.cpuUs / results[endpoint][b][i].cpuUs);
          return `${fmt(Math.min(...r), 2)}–${fmt(Math.max(...r), 2)}`;
        };
        console.log(
          `${endpoint.padEnd(9)} ours/floor: req/s ${fmt(m.ours.rps / m.floor.rps, 2)}, p50 ${fmt(m.ours.p50 / m.floor.p50, 2)}, ` +
            `p99 ${fmt(m.ours.p99 / m.floor.p99, 2)}, CPU/req ${fmt(m.ours.cpu / m.floor.cpu, 2)} (rounds ${spread("ours", "floor")})` +
            ` (buffered floor/floor: ${fmt(m.buffered.cpu / m.floor.cpu, 2)}; ours/buffered floor: ${fmt(m.ours.cpu / m.buffered.cpu, 2)})`,
        );
        console.log(
          `${endpoint.padEnd(9)} ours/plain (the same job in plain JavaScript): CPU/req ${fmt(m.ours.cpu / m.plain.cpu, 2)} (rounds ${spread("ours", "plain")}), ` +
            `req/s ${fmt(m.ours.rps / m.plain.rps, 2)}; plain/floor: CPU/req ${fmt(m.plain.cpu / m.floor.cpu, 2)}`,
        );
      }
      const health = await load(`http://127.0.0.1:${ports.ours}/api/video-call/health`, wrkScript("health", ""), procs.ours.pid);
      console.log(`health   ours     ${fmt(health.rps, 0).padStart(7)}  ${fmt(health.p50, 2).padStart(7)}  ${fmt(health.p99, 2).padStart(7)}  ${fmt(health.cpuUs).padStart(8)}   (never leaves the C code)`);
      console.log(`peak RSS: ${WORKERS.map((w) => `${w} ${peakRssKiB(procs[w].pid)} KiB`).join(", ")}`);
    }

    const iso = await (await fetch(`http://127.0.0.1:${ports.isolate}/?n=${process.env.BENCH_ISOLATE_N ?? 20000}&rounds=${process.env.BENCH_ISOLATE_ROUNDS ?? 5}`)).json();
    const requestIn = iso.request_in_us - iso.request_construction_us;
    console.log(`\nIn the isolate, RealtimeKit answered in-process (${iso.n} requests each; µs per request):`);
    console.log(`  whole request: session ${fmt(iso.session_total_us, 2)} (with no body to read: ${fmt(iso.session_empty_body_us, 2)}), token ${fmt(iso.token_total_us, 2)}, health ${fmt(iso.health_total_us, 2)}`);
    console.log(`  the same job in plain JavaScript (plain-worker.js): session ${fmt(iso.plain_session_total_us, 2)}, token ${fmt(iso.plain_token_total_us, 2)}`);
    const range = (v) => `${fmt(Math.min(...v), 2)}–${fmt(Math.max(...v), 2)}`;
    console.log(`  ours/plain over ${iso.rounds} alternating rounds: session ${fmt(iso.session_total_us / iso.plain_session_total_us, 2)} (rounds ${range(iso.session_ratio_rounds)}), ` +
        `token ${fmt(iso.token_total_us / iso.plain_token_total_us, 2)} (rounds ${range(iso.token_ratio_rounds)})`);
    console.log(`  of a token request: Request object ${fmt(iso.request_construction_us, 2)} (the runtime's), getting an instance ${fmt(iso.instance_us, 2)}, ` +
        `moving the request in ${fmt(requestIn, 2)}, building the Response ${fmt(iso.response_out_us, 2)}, ` +
        `the C steps and their imports ${fmt(iso.token_total_us - iso.request_construction_us - iso.instance_us - requestIn - iso.response_out_us, 2)}`);
    console.log(`  a Response with the same 5 headers given as [name, value] pairs instead: ${fmt(iso.response_from_pairs_us, 2)}`);
    console.log(`  cold: instantiate + _initialize ${fmt(iso.cold_instance_us, 1)} µs; compile ${iso.cold_compile_us === null ? iso.cold_compile_note : `${fmt(iso.cold_compile_us, 1)} µs`}`);
    const bytes = readFileSync(join(root, "build/vc.wasm"));
    const started = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) new WebAssembly.Module(bytes);
    console.log(`  compile in Node's V8 (for reference): ${fmt(Number(process.hrtime.bigint() - started) / 20 / 1000, 1)} µs`);

    if (!ISOLATE_ONLY) await budgetFigures(binary, binding);

    console.log(`\nwasm module: ${bytes.byteLength} bytes raw, ${gzipSync(bytes, { level: 9 }).byteLength} bytes gzip; whole upload ${ours.upload}`);
  } finally {
    for (const p of Object.values(procs)) p.kill("SIGTERM");
    standIn.server.closeAllConnections?.();
    standIn.server.close();
  }
}

// The account's budget (API_BUDGET): what a permit adds at rest, and a join
// storm against a stand-in that enforces the Cloudflare API's limit scaled
// down (25 calls per 10 s, then a 10 s block of 429s).
async function budgetFigures(binary, binding) {
  const dir = join(out, "ours");
  const post = (port, i) =>
    fetch(`http://127.0.0.1:${port}/api/video-call/token`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": `198.51.100.${(i % 250) + 1}` },
      body: JSON.stringify({ meeting_id: MEETING, name: "Ada" }),
    });
  const procs = [];
  const emulator = createRealtimeKitEmulator({ credentials: ENV });
  try {
    // At rest: 20 requests/s (under RealtimeKit's 250 per 10 s), alternating
    // between the Worker with the budget and without it.
    const rest = { on: await freePort(), off: await freePort() };
    procs.push(await serve(binary, capnp(dir, rest.on, { ...binding, REALTIMEKIT_BUDGET: "1000/300" }, { budget: true, name: "budget-on" }), rest.on));
    procs.push(await serve(binary, capnp(dir, rest.off, binding, { name: "budget-off" }), rest.off));
    const times = { on: [], off: [] };
    const N = Number(process.env.BENCH_BUDGET_N ?? 100);
    for (let i = 0; i < N; i++) {
      for (const which of i % 2 ? ["off", "on"] : ["on", "off"]) {
        const started = performance.now();
        const res = await post(rest[which], i);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`budget at rest: ${which} answered ${res.status}`);
        times[which].push(performance.now() - started);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
    console.log(`\nCall budget (API_BUDGET), ${N} token requests at 20/s, alternating with and without it (ms, through 127.0.0.1):`);
    console.log(`  with it: median ${fmt(median(times.on), 2)}, mean ${fmt(mean(times.on), 2)}, max ${fmt(Math.max(...times.on), 2)}; ` +
        `without: median ${fmt(median(times.off), 2)}, mean ${fmt(mean(times.off), 2)}, max ${fmt(Math.max(...times.off), 2)}`);
    console.log(`  a permit at rest adds: median ${fmt(median(times.on) - median(times.off), 2)} ms, mean ${fmt(mean(times.on) - mean(times.off), 2)} ms per request`);

    // The storm: the Worker configured at 20/10 under the stand-in's 25/10.
    const emulatorUrl = await emulator.listen();
    const ns = `${emulatorUrl}/ns/bench`;
    await fetch(`${ns}/__emulator/limit`, { method: "POST", body: JSON.stringify({ calls: 25, seconds: 10, blockSeconds: 10 }) });
    const storm = await freePort();
    const stormEnv = { ...binding, REALTIMEKIT_API_BASE: `${ns}/client/v4`, REALTIMEKIT_BUDGET: "20/10" };
    procs.push(await serve(binary, capnp(dir, storm, stormEnv, { budget: true, name: "budget-storm" }), storm));
    const created = await (await fetch(`http://127.0.0.1:${storm}/api/video-call/session`, { method: "POST" })).json();
    const JOINS = 700;
    const answers = await Promise.all(
      Array.from({ length: JOINS }, (_, i) =>
        fetch(`http://127.0.0.1:${storm}/api/video-call/token`, {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": `203.0.113.${(i % 250) + 1}` },
          body: JSON.stringify({ meeting_id: created.meeting_id }),
        }).then(async (res) => ({ status: res.status, wait: Number(res.headers.get("retry-after") ?? 0), body: await res.text() })),
      ),
    );
    const count = (status) => answers.filter((a) => a.status === status).length;
    const waits = answers.filter((a) => a.status === 429).map((a) => a.wait);
    const seen = await (await fetch(`${ns}/__emulator/limit`)).json();
    console.log(`  storm: ${JOINS} joins at once against a stand-in allowing 25 calls per 10 s (budget 20/10, one call spent creating the meeting):`);
    console.log(`    admitted ${count(200)}, refused 429 ${count(429)} (Retry-After ${waits.length ? `${Math.min(...waits)}–${Math.max(...waits)} s` : "none"}), ` +
        `other ${JOINS - count(200) - count(429)}; the stand-in let ${seen.admitted} calls through, answered ${seen.refused} with 429, began ${seen.blocks} blocks`);
  } finally {
    for (const p of procs) p.kill("SIGTERM");
    await emulator.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
