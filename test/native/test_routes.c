/* test_routes.c - routing, the health route and the shape of every response. */
#include <string.h>

#include "check.h"
#include "fake_host.h"
#include "host.h"
#include "response.h"

static const fake_response *get(const char *method, const char *path) {
    fake_reset();
    fake_request(method, path);
    return fake_run();
}

static void health_unconfigured(void) {
    const fake_response *r = get("GET", "/api/video-call/health");
    CHECK_INT(r->status, 200);
    CHECK_STR(r->body, "{\"status\":\"ok\",\"configured\":false,\"budget\":{\"enabled\":false}}");
    CHECK_INT(fake_sent_count(), 0);
}

static void health_configured(void) {
    fake_reset();
    fake_config_complete();
    fake_request("GET", "/api/video-call/health");
    const fake_response *r = fake_run();
    CHECK_INT(r->status, 200);
    CHECK_STR(r->body, "{\"status\":\"ok\",\"configured\":true,\"budget\":{\"enabled\":false}}");
    CHECK(strstr(r->body, "fake-api-token") == NULL);
}

static void health_partly_configured(void) {
    fake_reset();
    fake_config("CLOUDFLARE_ACCOUNT_ID", "0123456789abcdef0123456789abcdef");
    fake_config("CLOUDFLARE_REALTIME_APP_ID", "app");
    fake_config("CLOUDFLARE_REALTIME_API_TOKEN", ""); /* empty counts as missing */
    fake_request("GET", "/api/video-call/health");
    CHECK_STR(fake_run()->body, "{\"status\":\"ok\",\"configured\":false,\"budget\":{\"enabled\":false}}");
}

static void every_response_is_json_and_not_cached(void) {
    const char *paths[] = {"/api/video-call/health", "/nope", "/"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        get("GET", paths[i]);
        CHECK_STR(fake_response_header("Content-Type"), "application/json");
        CHECK_STR(fake_response_header("Cache-Control"), "no-store");
    }
}

static void unknown_path_is_404(void) {
    const char *paths[] = {"/", "/api", "/api/video-call", "/api/video-call/health/", "/API/video-call/health",
                           "/api/video-call/healthz", "/api/video-call/health%2F"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        const fake_response *r = get("GET", paths[i]);
        CHECK_INT(r->status, 404);
        CHECK_STR(r->body, "{\"error\":\"Not found\",\"code\":\"NOT_FOUND\"}");
        CHECK(fake_response_header("Allow") == NULL);
    }
}

/* The path ends at the query or the fragment; a '/' after either is not a path's. */
static void query_and_fragment_are_not_the_path(void) {
    const char *served[] = {"/api/video-call/health?verbose=1", "/api/video-call/health#top", "/api/video-call/health?a=/b#/c",
                            "/api/video-call/health#?"};
    for (size_t i = 0; i < sizeof served / sizeof served[0]; i++) CHECK_INT(get("GET", served[i])->status, 200);
    const char *unknown[] = {"/api/video-call/health/?x", "/api/video-call?/health", "/api/video-call#/health"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) CHECK_INT(get("GET", unknown[i])->status, 404);
}

/* response_header takes a name only of tchar (RFC 9110), which is what lets
 * the header object be written without escaping its names: every byte value
 * in the middle of a name, against the RFC's list. */
static void header_names_are_tchar_only(void) {
    static const char tchar[] = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static vc_response res;
    for (int c = 1; c < 256; c++) {
        char name[] = {'X', (char)c, 'Y', '\0'};
        response_init(&res);
        int want = strchr(tchar, c) ? VC_OK : VC_E_INVALID;
        if (response_header(&res, name, "v") != want) CHECK_INT(c, -1); /* names the byte that was misjudged */
    }
    response_init(&res);
    CHECK_INT(response_header(&res, "", "v"), VC_E_INVALID);
}

static void overlong_path_is_404(void) {
    static char path[5000];
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    const fake_response *r = get("GET", path);
    CHECK_INT(r->status, 404);
}

static void wrong_method_is_405_with_allow(void) {
    const char *methods[] = {"POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "AVERYLONGMETHODNAMEINDEED"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        const fake_response *r = get(methods[i], "/api/video-call/health");
        CHECK_INT(r->status, 405);
        CHECK_STR(fake_response_header("Allow"), "GET");
        CHECK_STR(r->body, "{\"error\":\"Method not allowed\",\"code\":\"METHOD_NOT_ALLOWED\"}");
    }
}

int main(void) {
    static const check_case cases[] = {
        CASE(health_unconfigured),        CASE(health_configured),     CASE(health_partly_configured),
        CASE(every_response_is_json_and_not_cached), CASE(unknown_path_is_404), CASE(overlong_path_is_404),
        CASE(wrong_method_is_405_with_allow), CASE(query_and_fragment_are_not_the_path),
        CASE(header_names_are_tchar_only),
    };
    return RUN("native-routes", cases);
}
