/* router.c - the route table and route_step (see handlers.h). */
#include <string.h>

#include "api.h"
#include "cors.h"
#include "guards.h"
#include "handlers.h"
#include "host.h"
#include "host_key.h"

typedef struct route_entry {
    const char *path;
    const char *method;
    vc_handler handler;    /* answers in one step, or */
    const api_spec *api;   /* a RealtimeKit-backed route, stepped by api_step, or neither: a CORS preflight */
    int guarded;           /* a public API call: origin check and rate limiting first */
    int under;             /* path is a prefix: the route serves path + one segment ("/{meeting_id}") */
    int host_only;         /* exists only with host keys (HOST_KEY_SECRET set) */
    size_t len;            /* strlen(path) */
} route_entry;

#define API_ROUTE(path, method, spec, under, host_only) \
    {path, method, NULL, spec, 1, under, host_only, sizeof path - 1}, \
    {path, "OPTIONS", NULL, NULL, 0, under, host_only, sizeof path - 1}

static const route_entry routes[] = {
    {"/api/video-call/health", "GET", handle_health, NULL, 0, 0, 0, sizeof "/api/video-call/health" - 1},
    API_ROUTE(VC_SESSION_PATH, "POST", &session_spec, 0, 0),
    API_ROUTE(VC_SESSION_PATH "/end", "POST", &end_spec, 0, 1),
    API_ROUTE(VC_SESSION_PATH "/", "GET", &lookup_spec, 1, 0),
    API_ROUTE("/api/video-call/token", "POST", &token_spec, 0, 0),
    API_ROUTE("/api/video-call/token/refresh", "POST", &refresh_spec, 0, 0),
#ifdef VC_TEST_HOOKS
    {"/__test/trap", "POST", handle_test_trap, NULL, 0, 0, 0, sizeof "/__test/trap" - 1},
    {"/__test/trap-after-read", "POST", NULL, &test_trap_after_read_spec, 0, 0, 0, sizeof "/__test/trap-after-read" - 1},
#endif
};

#define ROUTE_COUNT ((int)(sizeof routes / sizeof routes[0]))

/* The router's stages. */
enum { ROUTE_FIND = 0, ROUTE_RATE_LIMITED, ROUTE_HANDLER };

/* 1 when the route serves `path`: the same path, or for a prefix route the
 * prefix followed by one non-empty segment. */
static int serves(const route_entry *r, const char *path, size_t path_len, int exact_only) {
    if (!r->under) return path_len == r->len && memcmp(r->path, path, path_len) == 0;
    size_t n = r->len;
    return !exact_only && path_len > n && memcmp(r->path, path, n) == 0 && !strchr(path + n, '/');
}

/* The route for the request, or -1 after answering 404 / 405 (rc). A path
 * an exact route names is never taken as a prefix route's argument
 * ("/session/end" is not a meeting id, even where the host's routes are
 * off). `allow` gets the path's methods. */
static int find(vc_task *t, char allow[64], int *rc) {
    int exact = 0, found = -1, host_keys = -1; /* -1: not read yet */
    size_t path_len = strlen(t->req.path);
    for (int i = 0; i < ROUTE_COUNT; i++) exact |= !routes[i].under && serves(&routes[i], t->req.path, path_len, 1);
    for (int i = 0; i < ROUTE_COUNT; i++) {
        if (!serves(&routes[i], t->req.path, path_len, exact)) continue;
        if (routes[i].host_only && host_keys < 0) host_keys = host_key_enabled() != 0; /* too long: 500 later */
        if (routes[i].host_only && !host_keys) continue;
        if (strcmp(routes[i].method, t->req.method) == 0) found = i;
        if (strlen(allow) + strlen(routes[i].method) + 3 < 64) {
            if (allow[0]) strcat(allow, ", ");
            strcat(allow, routes[i].method);
        }
    }
    if (found >= 0) return found;
    if (!allow[0]) {
        *rc = response_error(&t->res, 404, "NOT_FOUND", "Not found");
    } else {
        *rc = response_header(&t->res, "Allow", allow);
        if (*rc == VC_OK) *rc = response_error(&t->res, 405, "METHOD_NOT_ALLOWED", "Method not allowed");
    }
    return -1;
}

int route_step(vc_task *t) {
    vc_problem p;
    int rc = VC_OK;
    char allow[64] = "";
    switch (t->stage) {
    case ROUTE_FIND:
        t->route = find(t, allow, &rc);
        if (t->route < 0) return rc;
        t->stage = ROUTE_HANDLER;
        if (!routes[t->route].handler && !routes[t->route].api) return cors_preflight(&t->req, &t->res, allow);
        if (routes[t->route].guarded) {
            if (t->req.origin_state == VC_ORIGIN_DENIED) return cors_forbid(&t->res);
            rc = rate_limit_start(&t->req, routes[t->route].path, &t->wait);
            if (rc == VC_PENDING) t->stage = ROUTE_RATE_LIMITED;
            if (rc != VC_OK) return rc;
        }
        break;
    case ROUTE_RATE_LIMITED:
        t->stage = ROUTE_HANDLER;
        if (rate_limit_finish(&t->req, t->wait, &p) == VC_PROBLEM) return api_respond_problem(&t->res, &p);
        break;
    default:
        break;
    }
    const route_entry *r = &routes[t->route];
    return r->api ? api_step(t, r->api) : r->handler(&t->req, &t->res);
}
