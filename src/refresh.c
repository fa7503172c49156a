/* refresh.c - POST /api/video-call/token/refresh: a new auth token for an
 * existing participant (RealtimeKit's "Refresh a participant's token"). */
#include "api.h"
#include "handlers.h"
#include "host.h"
#include "text.h"
#include "validate.h"

static const api_answer token_refreshed = {
    "token_refreshed", "Meeting or participant not found", {{"token", "auth_token"}, {0, 0}}};

int handle_token_refresh(const vc_request *req, vc_response *res) {
    char path[160], meeting_id[VC_UUID_LEN + 1], participant_id[VC_UUID_LEN + 1];
    api_call c;
    api_begin(&c);
    int rc = api_read(&c, 0);
    if (rc == VC_OK) rc = field_uuid(c.in, "meeting_id", meeting_id, &c.problem);
    if (rc == VC_OK) rc = field_uuid(c.in, "participant_id", participant_id, &c.problem);
    if (rc == VC_OK) rc = api_load_config(req, &c.cfg, &c.problem);
    if (rc == VC_OK && TEXT_CONCAT(path, "/meetings/", meeting_id, "/participants/", participant_id, "/token") < 0)
        rc = VC_E_TOOBIG;
    if (rc == VC_OK) rc = rtk_call(&c.cfg, "POST", path, NULL, 1, &c.reply);
    return api_end(&c, rc, req, res, &token_refreshed);
}
