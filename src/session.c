/* session.c - POST /api/video-call/session: create a RealtimeKit meeting. */
#include "api.h"
#include "guards.h"
#include "handlers.h"
#include "host.h"
#include "json_body.h"
#include "validate.h"

static const api_answer meeting_created = {"meeting_created", "Meeting not found", {{"id", "meeting_id"}, {0, 0}}};

/* {"title": name} when a name was given, else {} (a body must be sent). */
static cJSON *meeting_request(const char *name) {
    cJSON *body = cJSON_CreateObject();
    if (body && name && !cJSON_AddStringToObject(body, "title", name)) {
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

int handle_session(const vc_request *req, vc_response *res) {
    char buf[VC_BODY_MAX + 1];
    vc_config cfg;
    vc_problem p;
    rtk_reply reply = {0};
    cJSON *in = NULL, *out = NULL;
    const char *name = NULL, *turnstile_token = NULL;

    config_wipe(&cfg);
    int rc = api_read_object(buf, sizeof buf, 1, &in, &p);
    if (rc == VC_OK) rc = field_string(in, "name", VC_NAME_MAX, &name, &p);
    if (rc == VC_OK) rc = field_string(in, "turnstile_token", VC_TURNSTILE_TOKEN_MAX, &turnstile_token, &p);
    if (rc == VC_OK) rc = api_load_config(req, &cfg, &p);
    if (rc == VC_OK) rc = guard_turnstile(req, in, &cfg, res, &p);
    if (rc == VC_OK) rc = (out = meeting_request(name)) ? VC_OK : VC_E_NOMEM;
    if (rc == VC_OK) rc = rtk_call(&cfg, "POST", "/meetings", out, 0, &reply);
    if (rc == VC_OK)
        rc = api_respond_reply(res, req, &reply, &meeting_created);
    else if (rc == VC_PROBLEM)
        rc = api_respond_problem(res, &p);

    config_wipe(&cfg);
    rtk_reply_free(&reply);
    cJSON_Delete(out);
    cJSON_Delete(in);
    return rc;
}
