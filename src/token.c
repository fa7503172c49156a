/* token.c - POST /api/video-call/token: add a participant, return its token. */
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "host.h"
#include "log.h"
#include "presets.h"
#include "text.h"
#include "validate.h"

/* RealtimeKit participants without a name have been reported to fail to join. */
#define DEFAULT_NAME "Participant"

typedef struct token_input {
    char meeting_id[VC_UUID_LEN + 1];
    const char *name, *custom_participant_id, *preset_name, *host_key; /* borrowed from the parsed body */
    char generated_id[VC_UUID_LEN + 1];
    char presets[VC_PRESETS_MAX];
    char default_preset[VC_PRESET_NAME_MAX * 4 + 1];
} token_input;

/* A signed-in caller (auth.h) is named by the sign-in: its pseudonym is the
 * participant id (the body may not set one), its `name` claim the default
 * name, and its host claim gives the host's presets. */
static int read_input(const cJSON *in, const auth_who *who, token_input *t, vc_problem *p) {
    int rc = field_uuid(in, "meeting_id", t->meeting_id, p);
    if (rc == VC_OK) rc = field_string(in, "name", VC_NAME_MAX, &t->name, p);
    if (rc == VC_OK) rc = field_string(in, "custom_participant_id", VC_PARTICIPANT_ID_MAX, &t->custom_participant_id, p);
    if (rc == VC_OK) rc = field_string(in, "preset_name", VC_PRESET_NAME_MAX, &t->preset_name, p);
    if (rc == VC_OK) rc = field_string(in, "host_key", VC_HOST_KEY_FIELD_MAX, &t->host_key, p);
    if (rc != VC_OK) return rc;
    if (who->signed_in && t->custom_participant_id)
        return problem_invalid(p, "custom_participant_id comes from the sign-in and cannot be set");
    if (who->signed_in) {
        t->custom_participant_id = who->participant_id;
        if (!t->name && who->name[0]) t->name = who->name;
    }
    /* With a host key (checked before any RealtimeKit call) or the host claim the host's presets apply. */
    if (t->host_key || who->host)
        presets_load_host(t->presets, sizeof t->presets);
    else
        presets_load(t->presets, sizeof t->presets);
    if (t->preset_name && !presets_allow(t->presets, t->preset_name))
        return problem_invalid(p, "preset_name is not allowed");
    if (!t->preset_name) {
        presets_first(t->presets, t->default_preset, sizeof t->default_preset);
        t->preset_name = t->default_preset;
    }
    if (!t->custom_participant_id) {
        rc = uuid_v4(t->generated_id);
        t->custom_participant_id = t->generated_id;
    }
    return rc;
}

static int participant_request(api_call *c, const token_input *t) {
    json_out o;
    json_out_begin(&o, c->out, sizeof c->out);
    json_out_str(&o, "name", t->name ? t->name : DEFAULT_NAME);
    json_out_str(&o, "preset_name", t->preset_name);
    json_out_str(&o, "custom_participant_id", t->custom_participant_id);
    c->out_len = json_out_end(&o);
    return c->out_len < 0 ? c->out_len : VC_OK;
}

static int prepare(api_call *c, const vc_request *req) {
    (void)req;
    token_input t = {0};
    int rc = read_input(c->in, &c->who, &t, &c->problem);
    if (rc == VC_OK) rc = participant_request(c, &t);
    if (rc == VC_OK) {
        memcpy(c->meeting_id, t.meeting_id, sizeof c->meeting_id);
        /* Longer than any key: kept truncated, it still cannot match (host_key_equal compares lengths). */
        if (t.host_key) (void)text_concat(c->host_key, sizeof c->host_key, t.host_key, (const char *)0);
    }
    if (rc == VC_OK && TEXT_CONCAT(c->path, "/meetings/", t.meeting_id, "/participants") < 0) rc = VC_E_TOOBIG;
    return rc;
}

/* RealtimeKit refused the participant: a 4xx other than those that say
 * why (401 and 403: the API token; 404: no such meeting; 429: the limit). */
static int refused(const rtk_reply *r) {
    int s = r->http_status;
    return r->outcome == RTK_FAILED && s >= 400 && s < 500 && s != 401 && s != 403 && s != 404 && s != 429;
}

/* After the participant call: a refusal may mean the meeting has ended;
 * "Fetch a meeting" tells. INACTIVE: 410 MEETING_ENDED. Any other answer
 * leaves the refusal as it was (500 REALTIMEKIT_ERROR). */
static int after(api_call *c, const vc_request *req) {
    rtk_reply *r = &c->reply;
    char path[API_PATH_MAX];
    if (c->calls == 0) {
        if (!refused(r)) return VC_OK;
        if (TEXT_CONCAT(path, "/meetings/", c->meeting_id) < 0) return VC_E_TOOBIG;
        return api_again(c, "GET", path, NULL);
    }
    reply_text status;
    if (r->outcome == RTK_OK && !reply_value(r->data, "status", REPLY_ACTIVE, NULL, &status) &&
        strcmp(status.s, REPLY_STATUS_INACTIVE) == 0) {
        vc_log_fields f = VC_LOG_FIELDS("meeting_inactive");
        f.status = 410;
        f.upstream_status = c->first_status;
        log_event(req, VC_LOG_INFO, &f);
        return problem_set(&c->problem, 410, "MEETING_ENDED", "Meeting has ended", (const char *)0);
    }
    if (r->outcome != RTK_NOT_FOUND) {
        rtk_reply_free(r);
        r->outcome = RTK_FAILED;
        r->http_status = c->first_status;
        r->reason = "participant refused";
    }
    return VC_OK;
}

const api_spec token_spec = {
    .auth = AUTH_FOR_POST,
    .allow_empty = 0,
    .bot_check = 0,
    .names_meeting = 1,
    .prepare = prepare,
    .after = after,
    .answer = {.event = "token_generated", .not_found = "Meeting not found",
               .fields = {{"token", "auth_token", REPLY_TOKEN}, {"id", "participant_id", REPLY_UUID}}},
};
