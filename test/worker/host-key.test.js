// Host keys in workerd: the shim's HMAC-SHA-256 (Web Crypto) against RFC
// 4231's test vectors, a new meeting's key in the session answer (checked
// against an HMAC computed here), joining as host with it, and every wrong
// key refused with 403 and no RealtimeKit call.
import { describe, expect, it, vi } from "vitest";
import * as abi from "../../shim/abi.js";
import { createHost } from "../../shim/host.js";
import { captureLogs, emulator, post } from "./helpers.js";

const SECRET = "a-test-host-key-secret-made-here";
const bytes = (text) => new TextEncoder().encode(text);
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
const filled = (n, byte) => new Uint8Array(n).fill(byte);

// RFC 4231, section 4: key, data, HMAC-SHA-256 (test case 5: its first 128 bits).
const RFC_4231 = [
  [filled(20, 0x0b), bytes("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
  [bytes("Jefe"), bytes("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"],
  [filled(20, 0xaa), filled(50, 0xdd), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
  [Uint8Array.from({ length: 25 }, (_, i) => i + 1), filled(50, 0xcd), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"],
  [filled(20, 0x0c), bytes("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"],
  [filled(131, 0xaa), bytes("Test Using Larger Than Block-Size Key - Hash Key First"), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"],
  [
    filled(131, 0xaa),
    bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  ],
];

// The key as the contract defines it, computed here with Web Crypto.
async function expectedKey(secret, meetingId) {
  const key = await crypto.subtle.importKey("raw", bytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes(`host:v1:${meetingId}`)));
  return `v1.${btoa(String.fromCharCode(...mac)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
}

describe("hmac_sha256 in the shim", () => {
  it("gives RFC 4231's MACs, only once settled, and refuses an empty key", async () => {
    const host = createHost();
    const memory = new WebAssembly.Memory({ initial: 1 });
    host.attach(memory);
    host.begin(new Request("https://worker.test/"), {});
    const heap = new Uint8Array(memory.buffer);
    const { hmac_sha256_start: start, hmac_sha256_result: result, handle_close: close } = host.imports.vc;
    for (const [key, data, mac] of RFC_4231) {
      heap.set(key, 0);
      heap.set(data, 1024);
      expect(start(0, key.length, 1024, data.length, 4096)).toBe(abi.OK);
      const handle = new DataView(memory.buffer).getUint32(4096, true);
      expect(result(handle, 8192, 32)).toBe(abi.E_PENDING);
      await host.settle();
      expect(result(handle, 8192, 16)).toBe(32); // its length; nothing copied into too small a buffer
      expect(result(handle, 8192, 32)).toBe(32);
      expect(hex(heap.slice(8192, 8192 + mac.length / 2))).toBe(mac);
      expect(result(handle, 8192, 32)).toBe(abi.E_BADHANDLE); // taking the MAC released the handle
      expect(close(handle)).toBe(abi.E_BADHANDLE);
    }
    expect(start(0, 0, 1024, 1, 4096)).toBe(abi.E_INVALID);
    expect(start(0, 1, memory.buffer.byteLength, 1, 4096)).toBe(abi.E_INVALID); // outside linear memory
    host.end();
  });
});

describe("host keys", () => {
  async function meetingWithKey(rtk, env) {
    const res = await post("/api/video-call/session", {}, { env });
    expect(res.status).toBe(200);
    return res.json;
  }

  it("the session answer carries the meeting's key, which joins as host", async () => {
    const rtk = emulator();
    const env = { ...rtk.env, HOST_KEY_SECRET: SECRET };
    const { result, lines } = await captureLogs(vi, async () => {
      const session = await meetingWithKey(rtk, env);
      expect(Object.keys(session)).toEqual(["meeting_id", "host_key"]);
      expect(session.host_key).toBe(await expectedKey(SECRET, session.meeting_id));
      const host = await post("/api/video-call/token", { meeting_id: session.meeting_id, host_key: session.host_key }, { env });
      expect(host.status).toBe(200);
      expect(Object.keys(host.json)).toEqual(["auth_token", "participant_id"]);
      const guest = await post("/api/video-call/token", { meeting_id: session.meeting_id }, { env });
      expect(guest.status).toBe(200);
      return session;
    });
    const sent = (await rtk.requests()).filter((r) => r.path.endsWith("/participants")).map((r) => JSON.parse(r.body).preset_name);
    expect(sent).toEqual(["group_call_host", "group_call_participant"]);
    for (const line of lines) expect(line).not.toContain(result.host_key);
    for (const line of lines) expect(line).not.toContain(SECRET);
  });

  it("refuses another meeting's key, a forged, truncated, re-cased, padded or other-version key: 403, no RealtimeKit call", async () => {
    const rtk = emulator();
    const env = { ...rtk.env, HOST_KEY_SECRET: SECRET };
    const a = await meetingWithKey(rtk, env);
    const b = await meetingWithKey(rtk, env);
    const otherSecret = await expectedKey("another-secret", a.meeting_id);
    const wrong = [
      b.host_key,
      otherSecret,
      a.host_key.slice(0, -1),
      `${a.host_key}=`,
      a.host_key.toUpperCase(),
      a.host_key.replace("v1.", "v2."),
      `v1.${"A".repeat(43)}`,
      a.host_key.slice(0, -1) + (a.host_key.endsWith("A") ? "B" : "A"),
    ];
    const before = (await rtk.requests()).length;
    for (const key of wrong) {
      const res = await post("/api/video-call/token", { meeting_id: a.meeting_id, host_key: key }, { env });
      expect(res.status, key).toBe(403);
      expect(res.json).toEqual({ error: "Invalid host key", code: "FORBIDDEN" });
    }
    expect((await rtk.requests()).length).toBe(before);
  });

  it("without HOST_KEY_SECRET: no host_key in the answer, and any key is refused", async () => {
    const rtk = emulator();
    const withSecret = await meetingWithKey(rtk, { ...rtk.env, HOST_KEY_SECRET: SECRET });
    const session = await meetingWithKey(rtk, rtk.env);
    expect(Object.keys(session)).toEqual(["meeting_id"]);
    const before = (await rtk.requests()).length;
    const res = await post("/api/video-call/token", { meeting_id: withSecret.meeting_id, host_key: withSecret.host_key }, { env: rtk.env });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: "Invalid host key", code: "FORBIDDEN" });
    expect((await rtk.requests()).length).toBe(before);
  });
});
