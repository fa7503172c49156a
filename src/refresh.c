/* refresh.c - POST /api/video-call/token/refresh: a new auth token for an
 * existing participant (RealtimeKit's "Refresh a participant's token"). */
#include "api.h"
#include "handlers.h"
#include "host.h"
#include "text.h"
#include "validate.h"

static int prepare(api_call *c, const vc_request *req) {
    (void)req;
    char meeting_id[VC_UUID_LEN + 1], participant_id[VC_UUID_LEN + 1];
    int rc = field_uuid(c->in, "meeting_id", meeting_id, &c->problem);
    if (rc == VC_OK) rc = field_uuid(c->in, "participant_id", participant_id, &c->problem);
    if (rc == VC_OK && TEXT_CONCAT(c->path, "/meetings/", meeting_id, "/participants/", participant_id, "/token") < 0)
        rc = VC_E_TOOBIG;
    return rc; /* the refresh call has no body: c->out_len stays -1 */
}

const api_spec refresh_spec = {
    .auth = AUTH_FOR_POST,
    .allow_empty = 0,
    .bot_check = 0,
    .names_meeting = 1,
    .prepare = prepare,
    .answer = {.event = "token_refreshed", .not_found = "Meeting or participant not found",
               .fields = {{"token", "auth_token", REPLY_TOKEN}, {0, 0, 0}}},
};
