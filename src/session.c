/* session.c - POST /api/video-call/session: create a RealtimeKit meeting. */
#include <string.h>

#include "api.h"
#include "guards.h"
#include "handlers.h"
#include "host.h"
#include "validate.h"


/* {"title": name} when a name was given, else {} (a body must be sent). */
static int meeting_request(api_call *c, const char *name) {
    json_out o;
    json_out_begin(&o, c->out, sizeof c->out);
    if (name) json_out_str(&o, "title", name);
    c->out_len = json_out_end(&o);
    return c->out_len < 0 ? c->out_len : VC_OK;
}

/* Fields: name (optional), turnstile_token (read by the bot check). */
static int prepare(api_call *c, const vc_request *req) {
    (void)req;
    const char *name = NULL, *turnstile_token = NULL;
    int rc = field_string(c->in, "name", VC_NAME_MAX, &name, &c->problem);
    if (rc == VC_OK) rc = field_string(c->in, "turnstile_token", VC_TURNSTILE_TOKEN_MAX, &turnstile_token, &c->problem);
    if (rc == VC_OK) rc = meeting_request(c, name);
    if (rc == VC_OK) strcpy(c->path, "/meetings");
    return rc;
}

const api_spec session_spec = {
    .auth = AUTH_FOR_CREATE,
    .allow_empty = 1,
    .bot_check = 1,
    .names_meeting = 0,
    .signs_meeting = 1,
    .prepare = prepare,
    .answer = {.event = "meeting_created", .not_found = "Meeting not found",
               .fields = {{"id", "meeting_id", REPLY_UUID}, {0, 0, 0}}},
};
