/* session.c - POST /api/video-call/session: create a RealtimeKit meeting. */
#include "api.h"
#include "handlers.h"
#include "host.h"
#include "json_body.h"
#include "validate.h"

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
    const char *name = NULL;

    config_wipe(&cfg);
    int rc = api_read_object(buf, sizeof buf, 1, &in, &p);
    if (rc == VC_OK) rc = field_string(in, "name", VC_NAME_MAX, &name, &p);
    if (rc == VC_OK) rc = api_load_config(req->path, &cfg, &p);
    if (rc == VC_OK) rc = (out = meeting_request(name)) ? VC_OK : VC_E_NOMEM;
    if (rc == VC_OK) rc = rtk_call(&cfg, "POST", "/meetings", out, 0, &reply);
    if (rc == VC_OK)
        rc = api_respond_reply(res, req->path, &reply, "id", "meeting_id", "meeting_created");
    else if (rc == VC_PROBLEM)
        rc = api_respond_problem(res, &p);

    config_wipe(&cfg);
    rtk_reply_free(&reply);
    cJSON_Delete(out);
    cJSON_Delete(in);
    return rc;
}
