/*
 * api.h - the steps the RealtimeKit-backed handlers share.
 *
 * Each step returns VC_OK to go on, VC_PROBLEM after filling `p` with the
 * client-facing problem, or a VC_E_* code for an internal failure.
 * Ownership: as each function says; nothing is kept between calls.
 */
#ifndef VC_API_H
#define VC_API_H

#include <stddef.h>

#include "cJSON.h"
#include "config.h"
#include "json_body.h"
#include "problem.h"
#include "request.h"
#include "response.h"
#include "rtk.h"

/* The state of one RealtimeKit-backed request. Ownership: `in` and `out`
 * (parsed request, upstream request body) and `reply` belong to the call and
 * are freed, and `cfg` wiped, by api_end. */
typedef struct api_call {
    char body[VC_BODY_MAX + 1];
    vc_config cfg;
    vc_problem problem;
    rtk_reply reply;
    cJSON *in, *out;
} api_call;

/* How to answer from a RealtimeKit reply. */
typedef struct api_answer {
    const char *event;          /* logged on success */
    const char *not_found;      /* the NOT_FOUND message */
    const char *fields[2][2];   /* {data key, answer key} pairs; unused ones NULL */
} api_answer;

void api_begin(api_call *c);

/* Read the body and parse it as a JSON object into c->in. */
int api_read(api_call *c, int allow_empty);

/* Answer and clean up: from the reply when the steps got that far (rc is
 * VC_OK), from the problem (VC_PROBLEM); any other rc is returned for the
 * caller's 500. */
int api_end(api_call *c, int rc, const vc_request *req, vc_response *res, const api_answer *spec);

/* Load the settings. A missing or malformed one is logged by name (never by
 * value) and becomes a 500 INTERNAL_ERROR problem. */
int api_load_config(const vc_request *req, vc_config *cfg, vc_problem *p);

/* Answer with a problem: {"error": message, "code": code} (+ Retry-After). */
int api_respond_problem(vc_response *res, const vc_problem *p);

/* On RTK_OK with every data field a non-empty string: 200 with the answer
 * fields, logged as spec->event. On RTK_NOT_FOUND: 404 NOT_FOUND. Otherwise
 * 500 REALTIMEKIT_ERROR, logged with RealtimeKit's status and the reason. */
int api_respond_reply(vc_response *res, const vc_request *req, const rtk_reply *reply, const api_answer *spec);

#endif
