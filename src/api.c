/* api.c - see api.h. */
#include "api.h"

#include <string.h>

#include "host.h"
#include "json_body.h"
#include "guards.h"
#include "log.h"
#include "task.h"


/* api_step's stages: each but the first resumes after a wait. */
enum { API_START = 0, API_AUTH, API_BODY_READ, API_BOT_CHECKED, API_KEY_CHECKED, API_PERMITTED, API_REPLIED, API_REPORTED, API_SIGNED };

static void begin(api_call *c) {
    config_wipe(&c->cfg);
    memset(&c->reply, 0, sizeof c->reply);
    c->in = NULL;
    c->out_len = -1;
    c->path[0] = '\0';
    c->method = "POST";
    c->calls = c->first_status = 0;
    c->permit.on = 0;
    c->meeting_id[0] = c->host_key[0] = c->new_host_key[0] = '\0';
    c->auth = NULL;
    memset(&c->who, 0, sizeof c->who);
    c->cfg_loaded = 0;
}

/* The caller's host key is not the meeting's (or there are no host keys):
 * 403, and no RealtimeKit call. */
static int refuse_host_key(const vc_request *req, vc_problem *p, const char *reason) {
    vc_log_fields f = VC_LOG_FIELDS("host_key_refused");
    f.status = 403;
    f.reason = reason;
    log_event(req, VC_LOG_INFO, &f);
    return problem_set(p, 403, "FORBIDDEN", "Invalid host key", (const char *)0);
}

/* The host key computed for the meeting against the one the caller gave. */
static int host_key_checked(vc_task *t) {
    api_call *c = &t->call;
    char expected[VC_HOST_KEY_LEN + 1];
    int rc = host_key_finish(t->wait, expected);
    if (rc != VC_OK) return rc;
    int same = host_key_equal(c->host_key, expected);
    memset(expected, 0, sizeof expected);
    return same ? VC_OK : refuse_host_key(&t->req, &c->problem, "host key does not match");
}

static int next_call(vc_task *t, const api_spec *spec);

int api_again(api_call *c, const char *method, const char *path, const char *body) {
    size_t n = body ? strlen(body) : 0;
    if (strlen(path) >= sizeof c->path || n >= sizeof c->out) return VC_E_TOOBIG;
    c->method = method;
    strcpy(c->path, path);
    if (body) memcpy(c->out, body, n + 1);
    c->out_len = body ? (int)n : -1;
    if (!c->calls) c->first_status = c->reply.http_status;
    return API_AGAIN;
}

/* After the reply: the spec's own reading of it (which may set up the next
 * call); then start computing the new meeting's host key when the route
 * gives one, HOST_KEY_SECRET is set and the reply names a usable id. */
static int after_reply(vc_task *t, const api_spec *spec) {
    api_call *c = &t->call;
    int rc = spec->after ? spec->after(c, &t->req) : VC_OK;
    if (rc == API_AGAIN) {
        t->res.upstream_ms += c->reply.upstream_ms;
        rtk_reply_free(&c->reply);
        memset(&c->reply, 0, sizeof c->reply);
        c->calls++;
        c->stage = API_KEY_CHECKED; /* the next call starts at its permit */
        return next_call(t, spec);
    }
    if (rc != VC_OK) return rc;
    if (!spec->signs_meeting || c->reply.outcome != RTK_OK || !c->cfg.host_key_on) return VC_OK;
    char uuid[VC_UUID_LEN + 1];
    reply_text id;
    if (reply_value(c->reply.data, "id", REPLY_UUID, uuid, &id)) return VC_OK; /* answered as unusable */
    rc = host_key_start(id.s, &t->wait);
    c->stage = API_SIGNED;
    return rc == VC_OK ? VC_PENDING : rc;
}

/* Answer and clean up: from the reply when the steps got that far (rc is
 * VC_OK), from the problem (VC_PROBLEM); any other rc is returned for the
 * caller's 500. */
static int end(api_call *c, int rc, const vc_request *req, vc_response *res, const api_answer *spec) {
    if (rc == VC_OK)
        rc = api_respond_reply(res, req, c, spec, c->new_host_key[0] ? c->new_host_key : NULL);
    else if (rc == VC_PROBLEM)
        rc = api_respond_problem(res, &c->problem);
    config_wipe(&c->cfg);
    rtk_reply_free(&c->reply);
    cJSON_Delete(c->in);
    c->in = NULL;
    auth_free(c->auth);
    c->auth = NULL;
    memset(c->host_key, 0, sizeof c->host_key);
    memset(c->new_host_key, 0, sizeof c->new_host_key);
    return rc;
}

/* The body has arrived (or there is none): parse, validate, load the settings. */
static int after_body(vc_task *t, const api_spec *spec) {
    api_call *c = &t->call;
    size_t len = 0;
    int rc = VC_OK;
    if (!spec->no_body) {
        rc = body_take(t->wait, c->body, sizeof c->body, &len, &c->problem);
        if (rc == VC_OK) rc = json_parse_object(c->body, len, spec->allow_empty, &c->in, &c->problem);
    }
    if (rc == VC_OK) rc = spec->prepare(c, &t->req);
    if (rc == VC_OK && !c->cfg_loaded) rc = api_load_config(&t->req, &c->cfg, &c->problem);
    return rc;
}

/* After the sign-in (or without one): the body, or with none the call. */
static int start_body(vc_task *t, const api_spec *spec) {
    api_call *c = &t->call;
    c->stage = API_BODY_READ;
    if (!spec->no_body) return body_start(&t->req, &t->wait, &c->problem);
    int rc = after_body(t, spec);
    return rc == VC_OK ? next_call(t, spec) : rc;
}

/* The first step: a token to check (the settings first: its fetches take
 * RealtimeKit's timeout), else the body. */
static int start(vc_task *t, const api_spec *spec) {
    api_call *c = &t->call;
    begin(c);
    int rc = auth_begin(&t->req, spec->auth, &c->auth, &c->problem);
    if (rc != VC_OK || !c->auth) return rc == VC_OK ? start_body(t, spec) : rc;
    c->stage = API_AUTH;
    rc = api_load_config(&t->req, &c->cfg, &c->problem);
    c->cfg_loaded = rc == VC_OK;
    if (rc == VC_OK) rc = auth_step(&t->req, c->auth, c->cfg.timeout_ms, &c->who, &c->problem);
    return rc == VC_OK ? start_body(t, spec) : rc;
}

/* Start what comes next: the bot check, the permit, else the RealtimeKit call. */
static int next_call(vc_task *t, const api_spec *spec) {
    api_call *c = &t->call;
    int rc = VC_OK;
    if (spec->bot_check && c->stage < API_BOT_CHECKED) {
        rc = turnstile_start(&t->req, c->in, &c->cfg, &t->wait, &c->problem);
        c->stage = API_BOT_CHECKED;
        if (rc != VC_OK) return rc;
    }
    if (c->host_key[0] && c->stage < API_KEY_CHECKED) {
        c->stage = API_KEY_CHECKED;
        rc = host_key_start(c->meeting_id, &t->wait);
        if (rc == VC_E_NOTFOUND) return refuse_host_key(&t->req, &c->problem, "no HOST_KEY_SECRET");
        return rc == VC_OK ? VC_PENDING : rc;
    }
    if (c->stage < API_PERMITTED) {
        rc = permit_start(&t->req, &c->cfg, &c->permit, &t->wait, &c->problem);
        c->stage = API_PERMITTED;
        if (rc != VC_OK) return rc;
    }
    rc = rtk_start(&c->cfg, c->method, c->path, c->out_len < 0 ? NULL : c->out, (size_t)(c->out_len < 0 ? 0 : c->out_len),
                   &t->wait, &c->reply);
    c->stage = API_REPLIED;
    return rc;
}

int api_step(vc_task *t, const api_spec *spec) {
    api_call *c = &t->call;
    int rc;
    switch (c->stage) {
    case API_START:
        rc = start(t, spec);
        break;
    case API_AUTH:
        rc = auth_step(&t->req, c->auth, c->cfg.timeout_ms, &c->who, &c->problem);
        if (rc == VC_OK) rc = start_body(t, spec);
        break;
    case API_BODY_READ:
        rc = after_body(t, spec);
        if (rc == VC_OK) rc = next_call(t, spec);
        break;
    case API_BOT_CHECKED:
        rc = turnstile_finish(&t->req, t->wait, &t->res, &c->problem);
        if (rc == VC_OK) rc = next_call(t, spec);
        break;
    case API_KEY_CHECKED:
        rc = host_key_checked(t);
        if (rc == VC_OK) rc = next_call(t, spec);
        break;
    case API_PERMITTED:
        rc = permit_finish(&t->req, &c->cfg, &c->permit, t->wait, &c->problem);
        if (rc == VC_OK) rc = next_call(t, spec);
        break;
    case API_REPLIED:
        rtk_finish(t->wait, spec->names_meeting, &c->reply);
        rc = permit_learn(&c->cfg, &c->permit, &c->reply, &t->wait);
        c->stage = API_REPORTED;
        if (rc == VC_OK) rc = after_reply(t, spec);
        break;
    case API_REPORTED:
        permit_learned(t->wait);
        rc = after_reply(t, spec);
        break;
    case API_SIGNED:
        rc = host_key_finish(t->wait, c->new_host_key);
        break;
    default:
        rc = VC_E_INVALID;
        break;
    }
    return rc == VC_PENDING ? rc : end(c, rc, &t->req, &t->res, &spec->answer);
}

int api_load_config(const vc_request *req, vc_config *cfg, vc_problem *p) {
    const char *bad = NULL;
    int rc = config_load(cfg, req->epoch, &bad);
    return rc == VC_OK ? VC_OK : api_config_problem(req, rc, bad, p);
}

int api_config_problem(const vc_request *req, int rc, const char *bad, vc_problem *p) {
    vc_log_fields f = VC_LOG_FIELDS("config_error");
    f.status = 500;
    f.setting = bad;
    f.reason = rc == VC_E_NOTFOUND ? "setting is missing" : "setting is malformed";
    log_event(req, VC_LOG_ERROR, &f);
    return problem_set(p, 500, "INTERNAL_ERROR", "Internal error", (const char *)0);
}

int api_respond_problem(vc_response *res, const vc_problem *p) {
    int rc = response_error(res, p->status, p->code, p->message);
    if (rc == VC_OK && p->retry_after[0]) rc = response_header(res, "Retry-After", p->retry_after);
    if (rc == VC_OK && p->challenge) rc = response_header(res, "WWW-Authenticate", p->challenge);
    return rc;
}

/* The 200 answer from an RTK_OK reply: VC_OK; or VC_PROBLEM with *unusable
 * saying which value failed its check; or VC_E_TOOBIG. */
static int answer_from(vc_response *res, const api_call *c, const api_answer *spec, const char *host_key,
                       const char **unusable) {
    json_out *o = response_json_begin(res, 200);
    if (spec->write) spec->write(o, c);
    for (size_t i = 0; i < API_FIELDS_MAX && spec->fields[i].from; i++) {
        char uuid[VC_UUID_LEN + 1];
        reply_text value;
        int kind = spec->fields[i].kind;
        const char *to = spec->fields[i].to;
        *unusable = reply_value(c->reply.data, spec->fields[i].from, kind, uuid, &value);
        if (*unusable) return VC_PROBLEM;
        if (kind == REPLY_ACTIVE)
            json_out_bool(o, to, strcmp(value.s, REPLY_STATUS_ACTIVE) == 0);
        else if (!value.s)
            json_out_raw(o, to, "null", 4);
        else if (value.plain) /* checked in the same pass: copied as it is */
            json_out_plain_n(o, to, strlen(to), value.s, value.len);
        else
            json_out_str_n(o, to, strlen(to), value.s, value.len);
    }
    if (host_key) json_out_str(o, "host_key", host_key);
    return response_json_end(res);
}

int api_respond_reply(vc_response *res, const vc_request *req, const api_call *c, const api_answer *spec,
                      const char *host_key) {
    const char *unusable = NULL;
    const rtk_reply *reply = &c->reply;
    int rc = reply->outcome == RTK_OK ? answer_from(res, c, spec, host_key, &unusable) : VC_PROBLEM;
    vc_log_fields f = VC_LOG_FIELDS(spec->event);
    f.upstream_status = reply->http_status;
    f.upstream_ms = reply->upstream_ms;
    res->upstream_ms += reply->upstream_ms;
    if (rc != VC_OK && rc != VC_PROBLEM) return rc;
    if (rc == VC_OK) {
        /* answered from the reply */
    } else if (reply->outcome == RTK_NOT_FOUND) {
        f.event = "meeting_not_found";
        rc = response_error(res, 404, "NOT_FOUND", spec->not_found);
    } else {
        f.event = "realtimekit_error";
        f.reason = reply->outcome == RTK_OK ? unusable : reply->reason;
        rc = response_error(res, 500, "REALTIMEKIT_ERROR", "RealtimeKit request failed");
        if (rc == VC_OK && reply->retry_after[0]) rc = response_header(res, "Retry-After", reply->retry_after);
    }
    f.status = res->status;
    log_event(req, f.event == spec->event ? VC_LOG_INFO : VC_LOG_WARN, &f);
    return rc;
}
