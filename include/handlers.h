/*
 * handlers.h - the routes and their handlers.
 *
 * A handler fills `res` (status, body, extra headers) and returns VC_OK, or
 * returns a VC_E_* code, in which case the caller discards `res` and answers
 * 500 INTERNAL_ERROR. Handlers allocate only through
 * vc_alloc.h and free everything before returning; what they put in `res`
 * belongs to `res` (see response.h).
 */
#ifndef VC_HANDLERS_H
#define VC_HANDLERS_H

#include "request.h"
#include "response.h"

typedef int (*vc_handler)(const vc_request *req, vc_response *res);

/* Dispatch req to its handler: 404 for an unknown path, 405 with Allow for
 * a known path and another method. The public API routes first refuse a
 * denied Origin (403) and ask the rate limiter (429). */
int route(const vc_request *req, vc_response *res);

int handle_health(const vc_request *req, vc_response *res);
int handle_session(const vc_request *req, vc_response *res);
int handle_token(const vc_request *req, vc_response *res);
int handle_token_refresh(const vc_request *req, vc_response *res);

#ifdef VC_TEST_HOOKS /* build/vc-test.wasm only: see src/test_hooks.c */
_Noreturn int handle_test_trap(const vc_request *req, vc_response *res);
_Noreturn int handle_test_trap_after_read(const vc_request *req, vc_response *res);
#endif

#endif
