/* session.c - POST /api/video-call/session: create a RealtimeKit meeting. */
#include "api.h"
#include "guards.h"
#include "handlers.h"
#include "host.h"
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
    api_call c;
    const char *name = NULL, *turnstile_token = NULL;
    api_begin(&c);
    int rc = api_read(&c, 1);
    if (rc == VC_OK) rc = field_string(c.in, "name", VC_NAME_MAX, &name, &c.problem);
    if (rc == VC_OK) rc = field_string(c.in, "turnstile_token", VC_TURNSTILE_TOKEN_MAX, &turnstile_token, &c.problem);
    if (rc == VC_OK) rc = api_load_config(req, &c.cfg, &c.problem);
    if (rc == VC_OK) rc = guard_turnstile(req, c.in, &c.cfg, res, &c.problem);
    if (rc == VC_OK) rc = (c.out = meeting_request(name)) ? VC_OK : VC_E_NOMEM;
    if (rc == VC_OK) rc = rtk_call(&c.cfg, "POST", "/meetings", c.out, 0, &c.reply);
    return api_end(&c, rc, req, res, &meeting_created);
}
