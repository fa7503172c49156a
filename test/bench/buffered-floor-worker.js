// The buffered floor: floor-worker.js, except that it reads the whole request
// body and the whole reply into memory before passing them on, as any Worker
// that must look at either one has to. It parses nothing and checks nothing.
const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";

export default {
  async fetch(request, env) {
    const kit = `${env.REALTIMEKIT_API_BASE}/accounts/${env.CLOUDFLARE_ACCOUNT_ID}/realtime/kit/${env.CLOUDFLARE_REALTIME_APP_ID}`;
    const target = new URL(request.url).pathname.endsWith("/session") ? `${kit}/meetings` : `${kit}/meetings/${MEETING}/participants`;
    const reply = await fetch(target, {
      method: "POST",
      body: await request.arrayBuffer(),
      headers: { "content-type": "application/json", authorization: `Bearer ${env.CLOUDFLARE_REALTIME_API_TOKEN}` },
    });
    return new Response(await reply.arrayBuffer(), { status: reply.status, headers: { "content-type": "application/json" } });
  },
};
