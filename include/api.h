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
#include "problem.h"
#include "response.h"
#include "rtk.h"

/* Read the body into buf (VC_BODY_MAX + 1 bytes) and parse it as a JSON
 * object; *in is then owned by the caller (cJSON_Delete). */
int api_read_object(char *buf, size_t cap, int allow_empty, cJSON **in, vc_problem *p);

/* Load the settings. A missing or malformed one is logged by name (never by
 * value) and becomes a 500 INTERNAL_ERROR problem. */
int api_load_config(const char *route, vc_config *cfg, vc_problem *p);

/* Answer with a problem: {"error": message, "code": code}. */
int api_respond_problem(vc_response *res, const vc_problem *p);

/* Answer from a RealtimeKit reply: on RTK_OK, 200 {out_key: data[data_key]}
 * (a string) and log `event`; on RTK_NOT_FOUND, 404 NOT_FOUND; otherwise
 * 500 REALTIMEKIT_ERROR, logged with RealtimeKit's status. */
int api_respond_reply(vc_response *res, const char *route, const rtk_reply *reply, const char *data_key,
                      const char *out_key, const char *event);

#endif
