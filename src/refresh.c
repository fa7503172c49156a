/* refresh.c - POST /api/video-call/token/refresh: a new auth token for an
 * existing participant (RealtimeKit's "Refresh a participant's token"). */
#include "api.h"
#include "handlers.h"
#include "host.h"
#include "json_body.h"
#include "text.h"
#include "validate.h"

static const api_answer token_refreshed = {
    "token_refreshed", "Meeting or participant not found", {{"token", "auth_token"}, {0, 0}}};

int handle_token_refresh(const vc_request *req, vc_response *res) {
    char buf[VC_BODY_MAX + 1], path[160];
    char meeting_id[VC_UUID_LEN + 1], participant_id[VC_UUID_LEN + 1];
    vc_config cfg;
    vc_problem p;
    rtk_reply reply = {0};
    cJSON *in = NULL;

    config_wipe(&cfg);
    int rc = api_read_object(buf, sizeof buf, 0, &in, &p);
    if (rc == VC_OK) rc = field_uuid(in, "meeting_id", meeting_id, &p);
    if (rc == VC_OK) rc = field_uuid(in, "participant_id", participant_id, &p);
    if (rc == VC_OK) rc = api_load_config(req, &cfg, &p);
    if (rc == VC_OK)
        rc = TEXT_CONCAT(path, "/meetings/", meeting_id, "/participants/", participant_id, "/token") < 0 ? VC_E_TOOBIG
                                                                                                        : VC_OK;
    if (rc == VC_OK) rc = rtk_call(&cfg, "POST", path, NULL, 1, &reply);
    if (rc == VC_OK)
        rc = api_respond_reply(res, req, &reply, &token_refreshed);
    else if (rc == VC_PROBLEM)
        rc = api_respond_problem(res, &p);

    config_wipe(&cfg);
    rtk_reply_free(&reply);
    cJSON_Delete(in);
    return rc;
}
