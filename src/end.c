/* end.c - POST /api/video-call/session/end: the host ends the meeting for
 * everyone. Two RealtimeKit calls, each with its own permit:
 *   1. PATCH /meetings/{id} {"status":"INACTIVE"}: no one can join again
 *      (first, so that nobody slips in between the two calls);
 *   2. POST /meetings/{id}/active-session/kick-all: everyone in the live
 *      session leaves. A 404 here means there is no live session: not an
 *      error.
 * The host key is checked before either (api.h); without HOST_KEY_SECRET
 * the route does not exist (router.c). */
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "host.h"
#include "log.h"
#include "text.h"
#include "validate.h"

enum { END_DEACTIVATE = 0, END_KICK = 1 };

/* Fields: meeting_id and host_key, both required. */
static int prepare(api_call *c, const vc_request *req) {
    const char *key = NULL;
    (void)req;
    int rc = field_uuid(c->in, "meeting_id", c->meeting_id, &c->problem);
    if (rc == VC_OK) rc = field_string(c->in, "host_key", VC_HOST_KEY_FIELD_MAX, &key, &c->problem);
    if (rc == VC_OK && !key) rc = problem_invalid(&c->problem, "host_key is required");
    if (rc != VC_OK) return rc;
    (void)text_concat(c->host_key, sizeof c->host_key, key, (const char *)0); /* cut: cannot match */
    if (TEXT_CONCAT(c->path, "/meetings/", c->meeting_id) < 0) return VC_E_TOOBIG;
    c->method = "PATCH";
    json_out o;
    json_out_begin(&o, c->out, sizeof c->out);
    json_out_str(&o, "status", REPLY_STATUS_INACTIVE);
    c->out_len = json_out_end(&o);
    return c->out_len < 0 ? c->out_len : VC_OK;
}

/* A failed call is answered from its reply (404 NOT_FOUND, or 500). */
static int after(api_call *c, const vc_request *req) {
    rtk_reply *r = &c->reply;
    (void)req;
    if (c->calls == END_DEACTIVATE) {
        if (r->outcome != RTK_OK) return VC_OK;
        /* A status, when the reply shows one, must be the new one. */
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(r->data, "status");
        if (status && !(cJSON_IsString(status) && strcmp(status->valuestring, REPLY_STATUS_INACTIVE) == 0)) {
            r->outcome = RTK_FAILED;
            r->reason = "the meeting is not INACTIVE after the update";
            return VC_OK;
        }
        char path[API_PATH_MAX];
        if (TEXT_CONCAT(path, "/meetings/", c->meeting_id, "/active-session/kick-all") < 0) return VC_E_TOOBIG;
        return api_again(c, "POST", path, NULL);
    }
    if (r->outcome == RTK_NOT_FOUND) r->outcome = RTK_OK; /* no live session: nobody to remove */
    return VC_OK;
}

static void write_answer(json_out *o, const api_call *c) {
    json_out_str(o, "meeting_id", c->meeting_id);
    json_out_bool(o, "active", 0);
}

const api_spec end_spec = {
    .auth = AUTH_FOR_POST,
    .names_meeting = 1,
    .prepare = prepare,
    .after = after,
    .answer = {.event = "meeting_ended", .not_found = "Meeting not found",
               .fields = {{0, 0, 0}}, .write = write_answer},
};
