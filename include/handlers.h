/*
 * handlers.h - the routes and their handlers.
 *
 * route_step serves one step of a task (see task.h): it returns VC_OK when
 * t->res holds the answer, VC_PENDING when the task waits on host operations,
 * or a VC_E_* code, in which case the caller discards t->res and answers 500
 * INTERNAL_ERROR.
 *
 * The handlers that never wait (health, CORS preflight) fill `res` and return
 * VC_OK or VC_E_*. The RealtimeKit-backed routes are described by an
 * api_spec (api.h) and stepped by api_step. Handlers allocate only through
 * vc_alloc.h and free everything by the step that answers; what they put in
 * `res` belongs to `res` (see response.h).
 */
#ifndef VC_HANDLERS_H
#define VC_HANDLERS_H

#include "api.h"
#include "request.h"
#include "response.h"
#include "task.h"

typedef int (*vc_handler)(const vc_request *req, vc_response *res);

/* Dispatch t->req to its handler: 404 for an unknown path, 405 with Allow
 * for a known path and another method, 204 for a CORS preflight. The public
 * API routes first refuse a denied Origin (403) and ask the rate limiter
 * (429). */
int route_step(vc_task *t);

int handle_health(const vc_request *req, vc_response *res);

#define VC_SESSION_PATH "/api/video-call/session"

extern const api_spec session_spec;   /* POST /api/video-call/session */
extern const api_spec lookup_spec;    /* GET /api/video-call/session/{meeting_id} */
extern const api_spec end_spec;       /* POST /api/video-call/session/end (host keys only) */
extern const api_spec token_spec;     /* POST /api/video-call/token */
extern const api_spec refresh_spec;   /* POST /api/video-call/token/refresh */

#ifdef VC_TEST_HOOKS /* build/vc-test.wasm only: see src/test_hooks.c */
_Noreturn int handle_test_trap(const vc_request *req, vc_response *res);
/* Starts reading the body, then traps in the step after it. */
extern const api_spec test_trap_after_read_spec;
#endif

#endif
