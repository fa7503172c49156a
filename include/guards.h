/*
 * guards.h - checks a request passes before any RealtimeKit call:
 * rate limiting (Workers Rate Limiting binding) and bot protection
 * (Cloudflare Turnstile).
 *
 * Both ask the host and so come in two halves (see task.h): *_start begins
 * the question and returns VC_PENDING with *handle naming it, or answers at
 * once; *_finish reads the answer (once the host has settled it) and releases
 * the handle. The finishes return VC_OK to go on or VC_PROBLEM with `p`
 * filled (429 RATE_LIMITED, 403 FORBIDDEN). Ownership: nothing is allocated
 * beyond the call; the Turnstile secret is wiped as soon as it was sent.
 */
#ifndef VC_GUARDS_H
#define VC_GUARDS_H

#include <stdint.h>

#include "cJSON.h"
#include "config.h"
#include "problem.h"
#include "request.h"
#include "response.h"

#define VC_RATE_LIMIT_BINDING "RATE_LIMITER"
#define VC_CFG_RATE_LIMIT_PERIOD "RATE_LIMIT_PERIOD_SECONDS"
#define VC_CFG_TURNSTILE_URL "TURNSTILE_VERIFY_URL"
#define VC_DEFAULT_TURNSTILE_URL "https://challenges.cloudflare.com/turnstile/v0/siteverify"
#define VC_TURNSTILE_TOKEN_MAX 2048

/* Ask the RATE_LIMITER binding about (route, CF-Connecting-IP): VC_PENDING,
 * or VC_OK when there is no binding (no limiting). route: the route's own
 * path ("/api/video-call/session/" for every meeting's lookup), so that
 * varying a meeting id never buys another allowance. */
int rate_limit_start(const vc_request *req, const char *route, uint32_t *handle);
/* A binding that failed lets the request through (logged). */
int rate_limit_finish(const vc_request *req, uint32_t handle, vc_problem *p);

/* With TURNSTILE_SECRET_KEY set: send the Turnstile token (CF-Turnstile-Response
 * header, else the body's "turnstile_token") to siteverify (VC_PENDING), or
 * VC_PROBLEM when there is none to send. Without it: VC_OK, nothing sent. */
int turnstile_start(const vc_request *req, const cJSON *body, const vc_config *cfg, uint32_t *handle, vc_problem *p);
/* siteverify must have said success:true. The call's time (as the host
 * measured it) is added to res->upstream_ms. */
int turnstile_finish(const vc_request *req, uint32_t handle, vc_response *res, vc_problem *p);

#endif
