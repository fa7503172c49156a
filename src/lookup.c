/* lookup.c - GET /api/video-call/session/{meeting_id}: what a guest sees
 * before joining (RealtimeKit's "Fetch a meeting"). */
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "host.h"
#include "text.h"
#include "validate.h"

/* The meeting id is the path's last segment (the router saw to it). */
static int prepare(api_call *c, const vc_request *req) {
    const char *id = req->path + strlen(VC_SESSION_PATH "/");
    if (!uuid_valid(id)) return problem_invalid(&c->problem, "meeting_id must be a UUID");
    uuid_lower(id, c->meeting_id);
    if (TEXT_CONCAT(c->path, "/meetings/", c->meeting_id) < 0) return VC_E_TOOBIG;
    c->method = "GET";
    return VC_OK; /* no body: c->out_len stays -1 */
}

const api_spec lookup_spec = {
    .auth = AUTH_FOR_ALL,
    .no_body = 1,
    .names_meeting = 1,
    .prepare = prepare,
    .answer = {.event = "meeting_found", .not_found = "Meeting not found",
               .fields = {{"id", "meeting_id", REPLY_UUID}, {"title", "title", REPLY_TITLE}, {"status", "active", REPLY_ACTIVE}}},
};
