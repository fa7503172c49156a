/* router.c - the route table (see handlers.h). */
#include <string.h>

#include "api.h"
#include "cors.h"
#include "guards.h"
#include "handlers.h"
#include "host.h"

typedef struct route_entry {
    const char *path;
    const char *method;
    vc_handler handler;
    int guarded; /* a public API call: origin check and rate limiting first */
} route_entry;

#define API_ROUTE(path, handler) {path, "POST", handler, 1}, {path, "OPTIONS", handle_preflight, 0}

static const route_entry routes[] = {
    {"/api/video-call/health", "GET", handle_health, 0},
    API_ROUTE("/api/video-call/session", handle_session),
    API_ROUTE("/api/video-call/token", handle_token),
    API_ROUTE("/api/video-call/token/refresh", handle_token_refresh),
#ifdef VC_TEST_HOOKS
    {"/__test/trap", "POST", handle_test_trap, 0},
    {"/__test/trap-after-read", "POST", handle_test_trap_after_read, 0},
#endif
};

#define ROUTE_COUNT (sizeof routes / sizeof routes[0])

static int run(const route_entry *r, const vc_request *req, vc_response *res) {
    if (r->guarded) {
        vc_problem p;
        if (req->origin_state == VC_ORIGIN_DENIED) return cors_forbid(res);
        if (guard_rate_limit(req, &p) == VC_PROBLEM) return api_respond_problem(res, &p);
    }
    return r->handler(req, res);
}

int route(const vc_request *req, vc_response *res) {
    char allow[64] = "";
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (strcmp(routes[i].path, req->path) != 0) continue;
        if (strcmp(routes[i].method, req->method) == 0) return run(&routes[i], req, res);
        if (strlen(allow) + strlen(routes[i].method) + 3 < sizeof allow) {
            if (allow[0]) strcat(allow, ", ");
            strcat(allow, routes[i].method);
        }
    }
    if (!allow[0]) return response_error(res, 404, "NOT_FOUND", "Not found");
    int rc = response_header(res, "Allow", allow);
    if (rc != VC_OK) return rc;
    return response_error(res, 405, "METHOD_NOT_ALLOWED", "Method not allowed");
}
