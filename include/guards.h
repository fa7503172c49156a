/*
 * guards.h - checks a request passes before any RealtimeKit call:
 * rate limiting (Workers Rate Limiting binding) and bot protection
 * (Cloudflare Turnstile).
 *
 * Each returns VC_OK to go on or VC_PROBLEM with `p` filled (429
 * RATE_LIMITED, 403 FORBIDDEN). Ownership: nothing is allocated beyond the
 * call; the Turnstile secret is wiped from the stack after use.
 */
#ifndef VC_GUARDS_H
#define VC_GUARDS_H

#include "cJSON.h"
#include "config.h"
#include "problem.h"
#include "request.h"
#include "response.h"

#define VC_RATE_LIMIT_BINDING "RATE_LIMITER"
#define VC_CFG_RATE_LIMIT_PERIOD "RATE_LIMIT_PERIOD_SECONDS"
#define VC_CFG_TURNSTILE_SECRET "TURNSTILE_SECRET_KEY"
#define VC_CFG_TURNSTILE_URL "TURNSTILE_VERIFY_URL"
#define VC_DEFAULT_TURNSTILE_URL "https://challenges.cloudflare.com/turnstile/v0/siteverify"
#define VC_TURNSTILE_TOKEN_MAX 2048

/* Ask the RATE_LIMITER binding about (route, CF-Connecting-IP). No binding:
 * no limiting. A binding that fails lets the request through (logged). */
int guard_rate_limit(const vc_request *req, vc_problem *p);

/* With TURNSTILE_SECRET_KEY set: the Turnstile token (CF-Turnstile-Response
 * header, else the body's "turnstile_token") must pass siteverify. The time
 * spent is added to res->upstream_ms. */
int guard_turnstile(const vc_request *req, const cJSON *body, const vc_config *cfg, vc_response *res, vc_problem *p);

#endif
