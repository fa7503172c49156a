// A fast local stand-in for RealtimeKit, for the benchmark only: canned
// answers, no checks, no state. Listens on 127.0.0.1.
import { createServer } from "node:http";

const MEETING = JSON.stringify({ success: true, data: { id: "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10", title: null, status: "ACTIVE" } });
const PARTICIPANT = JSON.stringify({
  success: true,
  data: { id: "0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e", token: `eyJhbGciOiJIUzI1NiJ9.${"x".repeat(400)}.sig`, preset_name: "group_call_participant" },
});

export function startStandIn() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const body = req.url.endsWith("/participants") ? PARTICIPANT : req.url.endsWith("/meetings") ? MEETING : "{}";
      res.writeHead(req.url === "/ping" ? 200 : 201, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}
