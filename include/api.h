/*
 * api.h - the RealtimeKit-backed routes: one driver, api_step, and a spec
 * per route (session.c, lookup.c, end.c, token.c, refresh.c).
 *
 * api_step walks every such request through the same stages, each ending
 * where the host has to be waited on (see task.h):
 *   [check the caller's token, when one is given or the route needs one
 *   (auth.h): the settings are loaded first] -> [read the body, unless spec->no_body] -> spec->prepare (validate, build
 *   the call) -> load the settings -> [Turnstile, when spec->bot_check] ->
 *   [check the caller's host key, when prepare took one] -> a permit from the
 *   account's budget (permit.h) -> call RealtimeKit -> [tell the budget of a
 *   RealtimeKit 429] -> [spec->after, which may set up one more call: back
 *   to the permit, so every call counts in the budget] -> [compute the new
 *   meeting's host key, when spec->signs_meeting and HOST_KEY_SECRET is set]
 *   -> answer from the reply.
 * Helpers return VC_OK to go on, VC_PROBLEM after filling `p` with the
 * client-facing problem, VC_PENDING when the host must be waited on, or a
 * VC_E_* code for an internal failure.
 * Ownership: the api_call lives in the task; api_step frees what it holds
 * (parsed body, upstream body, reply) and wipes the settings and keys in the
 * step that answers.
 */
#ifndef VC_API_H
#define VC_API_H

#include <stddef.h>

#include "auth.h"
#include "cJSON.h"
#include "config.h"
#include "host_key.h"
#include "json_body.h"
#include "json_out.h"
#include "permit.h"
#include "problem.h"
#include "reply_value.h"
#include "request.h"
#include "response.h"
#include "rtk.h"

#define API_PATH_MAX 160
#define API_OUT_MAX 2048 /* the body sent upstream: a few short fields */

/* Returned by spec->after: another RealtimeKit call is set up. */
#define API_AGAIN 3

/* The state of one RealtimeKit-backed request. Ownership: `in` (the parsed
 * request) and `reply` belong to the call and are freed, and `cfg` wiped, by
 * the step that answers; `out` (the body sent upstream) is written in place. */
typedef struct api_call {
    int stage;                 /* api_step's, see api.c */
    char body[VC_BODY_MAX + 1];
    char path[API_PATH_MAX];   /* the RealtimeKit path, after .../kit/{app_id} */
    const char *method;        /* its method (a static string; prepare's default "POST") */
    int calls;                 /* RealtimeKit calls made so far (spec->after's to read) */
    int first_status;          /* the first call's HTTP status, once a second one is set up */
    vc_config cfg;
    vc_problem problem;
    vc_permit permit;          /* the budget's permit for the call (permit.h) */
    rtk_reply reply;
    cJSON *in;
    char out[API_OUT_MAX];     /* the body to send upstream ... */
    int out_len;               /* ... its length; < 0: none */
    char meeting_id[VC_UUID_LEN + 1]; /* the meeting the request names, lowercase ("" for none) */
    char host_key[VC_HOST_KEY_FIELD_MAX + 1]; /* the caller's host key, to check ("" for none) */
    char new_host_key[VC_HOST_KEY_LEN + 1];   /* the key the answer carries ("" for none) */
    auth_state *auth;          /* owned: the sign-in check under way (auth.h), NULL for none */
    auth_who who;              /* the signed-in caller (who.signed_in 0: none) */
    int cfg_loaded;            /* cfg was loaded for the sign-in check, before the body */
} api_call;

/* A value the answer takes from the reply's `data`. */
typedef struct api_field {
    const char *from;           /* the key in data */
    const char *to;             /* the key in the answer */
    int kind;                   /* REPLY_UUID, _TOKEN, _TITLE or _ACTIVE (reply_value.h) */
} api_field;

#define API_FIELDS_MAX 3

/* How to answer from a RealtimeKit reply. */
typedef struct api_answer {
    const char *event;          /* logged on success */
    const char *not_found;      /* the NOT_FOUND message */
    api_field fields[API_FIELDS_MAX]; /* unused ones all NULL */
    /* Optional, instead of fields: write the members of the 200 answer. */
    void (*write)(json_out *o, const struct api_call *c);
} api_answer;

/* One RealtimeKit-backed route. */
typedef struct api_spec {
    int no_body;                /* the request has none (GET): prepare gets c->in NULL */
    int allow_empty;            /* an empty body means {} */
    int bot_check;              /* Turnstile before the call */
    int names_meeting;          /* a 404 from RealtimeKit means NOT_FOUND */
    int signs_meeting;          /* the answer carries the new meeting's host_key (with HOST_KEY_SECRET) */
    int auth;                   /* AUTH_FOR_*: the lowest AUTH_REQUIRED_FOR that requires a token here */
    /* Validate c->in (and req's path); fill c->path, c->method when not
     * POST, and c->out/out_len (the body to send, written with json_out;
     * out_len < 0 for none). Returns VC_OK, VC_PROBLEM (c->problem) or
     * VC_E_*. */
    int (*prepare)(api_call *c, const vc_request *req);
    /* Optional: read c->reply once each call is done. VC_OK answers from the
     * reply (which after may amend), VC_PROBLEM with c->problem, API_AGAIN
     * after setting up the next call (path, method, out), VC_E_* for a 500.
     * The reply is released before the next call. */
    int (*after)(api_call *c, const vc_request *req);
    api_answer answer;
} api_spec;

struct vc_task;

/* One step of a RealtimeKit-backed request: VC_PENDING, or VC_OK with the
 * answer in t->res, or VC_E_* for the caller's 500. */
int api_step(struct vc_task *t, const api_spec *spec);

/* Load the settings. A missing or malformed one is logged by name (never by
 * value) and becomes a 500 INTERNAL_ERROR problem. */
int api_load_config(const vc_request *req, vc_config *cfg, vc_problem *p);
/* The same 500 for a setting `bad` that config_load-like code found missing
 * (rc VC_E_NOTFOUND) or malformed: VC_PROBLEM. */
int api_config_problem(const vc_request *req, int rc, const char *bad, vc_problem *p);

/* Answer with a problem: {"error": message, "code": code} (+ Retry-After). */
int api_respond_problem(vc_response *res, const vc_problem *p);

/* On RTK_OK with every data field usable (reply_value.h): 200 with the
 * answer fields (and "host_key" when host_key is not NULL), logged as
 * spec->event. On RTK_NOT_FOUND: 404 NOT_FOUND.
 * Otherwise 500 REALTIMEKIT_ERROR, logged with RealtimeKit's status and the
 * reason (never a value from the reply). */
int api_respond_reply(vc_response *res, const vc_request *req, const struct api_call *c, const api_answer *spec,
                      const char *host_key);

/* Set up the next call of a spec->after: method, path, body (NULL: none;
 * copied into c->out). Returns API_AGAIN, or VC_E_TOOBIG. */
int api_again(api_call *c, const char *method, const char *path, const char *body);

#endif
