/* test_features.c - CORS, the preset allowlist, token refresh, rate
 * limiting, Turnstile and tracing, against the fake host. */
#include <string.h>

#include "check.h"
#include "fake_host.h"
#include "host.h"

#define KIT "https://api.cloudflare.com/client/v4/accounts/0123456789abcdef0123456789abcdef/realtime/kit/" \
            "11111111-2222-4333-8444-555555555555"
#define MEETING "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10"
#define PARTICIPANT "0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e"
#define APP_ORIGIN "https://app.example.com"

static const char *replies[4];

static fake_reply answer(const fake_sent *sent, int index) {
    (void)sent;
    return (fake_reply){0, index == 0 && strstr(sent->url, "siteverify") ? 200 : 201, NULL, replies[index]};
}

static void setup(void) {
    fake_reset();
    fake_config_complete();
    fake_upstream(answer);
    replies[0] = "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"token\":\"tok\"}}";
    replies[1] = replies[0];
}

static const fake_response *send(const char *method, const char *path, const char *body) {
    fake_request(method, path);
    if (body) fake_request_body(body, strlen(body));
    return fake_run();
}

/* ---- CORS --------------------------------------------------------------- */

static void allowed_origin_is_echoed_with_vary(void) {
    const char *lists[] = {APP_ORIGIN, "https://other.example, " APP_ORIGIN "/", "*", " HTTPS://APP.EXAMPLE.COM "};
    for (size_t i = 0; i < 4; i++) {
        setup();
        fake_config("ALLOWED_ORIGINS", lists[i]);
        fake_request_header("Origin", APP_ORIGIN);
        const fake_response *r = send("POST", "/api/video-call/session", "{}");
        CHECK_INT(r->status, 200);
        CHECK_STR(fake_response_header("Access-Control-Allow-Origin"), APP_ORIGIN);
        CHECK_STR(fake_response_header("Access-Control-Expose-Headers"), "Retry-After, X-Request-Id, WWW-Authenticate");
        CHECK_STR(fake_response_header("Vary"), "Origin");
    }
}

static void preflight_for_an_allowed_origin(void) {
    const char *paths[] = {"/api/video-call/session", "/api/video-call/token", "/api/video-call/token/refresh"};
    for (size_t i = 0; i < 3; i++) {
        setup();
        fake_config("ALLOWED_ORIGINS", APP_ORIGIN);
        fake_request_header("Origin", APP_ORIGIN);
        fake_request_header("Access-Control-Request-Method", "POST");
        const fake_response *r = send("OPTIONS", paths[i], NULL);
        CHECK_INT(r->status, 204);
        CHECK_INT(r->body_len, 0);
        CHECK_STR(fake_response_header("Access-Control-Allow-Origin"), APP_ORIGIN);
        CHECK_STR(fake_response_header("Access-Control-Allow-Methods"), "POST, OPTIONS");
        CHECK_STR(fake_response_header("Access-Control-Allow-Headers"), "content-type, cf-turnstile-response, authorization");
        CHECK_STR(fake_response_header("Access-Control-Max-Age"), "86400");
        CHECK_STR(fake_response_header("Vary"), "Origin");
        CHECK(fake_response_header("Content-Type") == NULL);
        CHECK_INT(fake_sent_count(), 0);
    }
}

static void denied_origin_gets_no_cors_headers_and_is_refused(void) {
    const char *lists[] = {NULL, "", "https://other.example", "https://app.example.com.evil.example"};
    for (size_t i = 0; i < 4; i++) {
        for (int preflight = 0; preflight < 2; preflight++) {
            setup();
            if (lists[i]) fake_config("ALLOWED_ORIGINS", lists[i]);
            fake_request_header("Origin", APP_ORIGIN);
            const fake_response *r = send(preflight ? "OPTIONS" : "POST", "/api/video-call/session", "{}");
            CHECK_INT(r->status, 403);
            CHECK_STR(r->body, "{\"error\":\"Origin not allowed\",\"code\":\"FORBIDDEN\"}");
            CHECK(fake_response_header("Access-Control-Allow-Origin") == NULL);
            CHECK(fake_response_header("Access-Control-Allow-Methods") == NULL);
            CHECK(fake_response_header("Access-Control-Expose-Headers") == NULL);
            CHECK_INT(fake_sent_count(), 0);
        }
    }
}

static void same_origin_and_no_origin_need_no_cors(void) {
    setup();
    fake_request_header("Origin", "https://worker.test");
    const fake_response *r = send("POST", "/api/video-call/session", "{}");
    CHECK_INT(r->status, 200);
    CHECK(fake_response_header("Access-Control-Allow-Origin") == NULL);
    setup();
    r = send("POST", "/api/video-call/session", "{}");
    CHECK_INT(r->status, 200);
    CHECK(fake_response_header("Access-Control-Allow-Origin") == NULL);
}

/* ---- presets ------------------------------------------------------------ */

static void presets_outside_the_allowlist_are_refused(void) {
    const char *cases[][3] = {
        /* ALLOWED_PRESETS, requested, expected status */
        {NULL, "group_call_host", "400"},
        {NULL, "group_call_participant", "200"},
        {"group_call_participant,webinar_viewer", "webinar_viewer", "200"},
        {"group_call_participant,webinar_viewer", "webinar", "400"},
        {"group_call_participant,webinar_viewer", "Group_Call_Participant", "400"},
        {"group_call_host", "group_call_host", "200"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup();
        if (cases[i][0]) fake_config("ALLOWED_PRESETS", cases[i][0]);
        char body[256] = "{\"meeting_id\":\"" MEETING "\",\"preset_name\":\"";
        strcat(strcat(body, cases[i][1]), "\"}");
        const fake_response *r = send("POST", "/api/video-call/token", body);
        if (cases[i][2][0] == '4') {
            CHECK_INT(r->status, 400);
            CHECK_STR(r->body, "{\"error\":\"preset_name is not allowed\",\"code\":\"INVALID_INPUT\"}");
            CHECK_INT(fake_sent_count(), 0);
        } else {
            CHECK_INT(r->status, 200);
            CHECK(strstr(fake_sent_at(0)->body, cases[i][1]) != NULL);
        }
    }
}

static void default_preset_is_the_first_allowed(void) {
    setup();
    fake_config("ALLOWED_PRESETS", " webinar_viewer , group_call_participant");
    send("POST", "/api/video-call/token", "{\"meeting_id\":\"" MEETING "\"}");
    CHECK(strstr(fake_sent_at(0)->body, "\"preset_name\":\"webinar_viewer\"") != NULL);
}

/* ---- refresh ------------------------------------------------------------ */

static void refresh_calls_the_refresh_operation(void) {
    setup();
    replies[0] = "{\"success\":true,\"data\":{\"token\":\"fresh.token.sig\"}}";
    const fake_response *r = send("POST", "/api/video-call/token/refresh",
                                  "{\"meeting_id\":\"8C1A5E8E-1F0B-4C55-9A56-0D7A2D8E7F10\",\"participant_id\":\"" PARTICIPANT "\"}");
    CHECK_INT(r->status, 200);
    CHECK_STR(r->body, "{\"auth_token\":\"fresh.token.sig\"}");
    CHECK_INT(fake_sent_count(), 1);
    CHECK_STR(fake_sent_at(0)->method, "POST");
    CHECK_STR(fake_sent_at(0)->url, KIT "/meetings/" MEETING "/participants/" PARTICIPANT "/token");
    CHECK_INT(fake_sent_at(0)->body_len, 0);
    CHECK(strstr(fake_sent_at(0)->headers, "Content-Type") == NULL);
}

static void refresh_validates_and_maps_404(void) {
    const char *bodies[][2] = {
        {"{}", "meeting_id is required"},
        {"{\"meeting_id\":\"" MEETING "\"}", "participant_id is required"},
        {"{\"meeting_id\":\"" MEETING "\",\"participant_id\":\"../../x\"}", "participant_id must be a UUID"},
        {"{\"meeting_id\":\"" MEETING "\",\"participant_id\":7}", "participant_id must be a string"},
    };
    for (size_t i = 0; i < 4; i++) {
        setup();
        const fake_response *r = send("POST", "/api/video-call/token/refresh", bodies[i][0]);
        CHECK_INT(r->status, 400);
        CHECK(strstr(r->body, bodies[i][1]) != NULL);
        CHECK_INT(fake_sent_count(), 0);
    }
    setup();
    replies[0] = "{\"success\":false,\"error\":{\"code\":404,\"message\":\"Participant not found\"}}";
    const fake_response *r = send("POST", "/api/video-call/token/refresh",
                                  "{\"meeting_id\":\"" MEETING "\",\"participant_id\":\"" PARTICIPANT "\"}");
    CHECK_INT(r->status, 404);
    CHECK_STR(r->body, "{\"error\":\"Meeting or participant not found\",\"code\":\"NOT_FOUND\"}");
}

/* ---- rate limiting ------------------------------------------------------- */

static void over_the_limit_is_429_without_an_upstream_call(void) {
    const char *paths[] = {"/api/video-call/session", "/api/video-call/token", "/api/video-call/token/refresh"};
    for (size_t i = 0; i < 3; i++) {
        setup();
        fake_rate_limiter(1);
        fake_request_header("CF-Connecting-IP", "203.0.113.9");
        const fake_response *r = send("POST", paths[i], "{}");
        CHECK_INT(r->status, 429);
        CHECK_STR(r->body, "{\"error\":\"Too many requests; try again later\",\"code\":\"RATE_LIMITED\"}");
        CHECK_STR(fake_response_header("Retry-After"), "60");
        CHECK_INT(fake_sent_count(), 0);
        char key[128];
        strcpy(key, paths[i]);
        strcat(key, " 203.0.113.9");
        CHECK_STR(fake_rate_limit_key(), key);
    }
    setup();
    fake_rate_limiter(1);
    fake_config("RATE_LIMIT_PERIOD_SECONDS", "10");
    send("POST", "/api/video-call/session", "{}");
    CHECK_STR(fake_response_header("Retry-After"), "10");
}

static void under_the_limit_or_without_a_binding_goes_on(void) {
    setup();
    fake_rate_limiter(0);
    CHECK_INT(send("POST", "/api/video-call/session", "{}")->status, 200);
    CHECK_STR(fake_rate_limit_key(), "/api/video-call/session unknown");
    setup();
    CHECK_INT(send("POST", "/api/video-call/session", "{}")->status, 200);
    setup();
    fake_rate_limiter(1);
    CHECK_INT(send("GET", "/api/video-call/health", NULL)->status, 200); /* health is never limited */
}

/* ---- Turnstile ---------------------------------------------------------- */

static void turnstile_required_when_configured(void) {
    setup();
    fake_config("TURNSTILE_SECRET_KEY", "0x4AAAAAAAfakeSecret");
    const fake_response *r = send("POST", "/api/video-call/session", "{}");
    CHECK_INT(r->status, 403);
    CHECK_STR(r->body, "{\"error\":\"Bot check failed\",\"code\":\"FORBIDDEN\"}");
    CHECK_INT(fake_sent_count(), 0);
}

static void turnstile_token_from_header_or_body_is_verified(void) {
    for (int from_header = 0; from_header < 2; from_header++) {
        setup();
        fake_config("TURNSTILE_SECRET_KEY", "0x4AAAAAAAfakeSecret");
        fake_request_header("CF-Connecting-IP", "203.0.113.9");
        replies[0] = "{\"success\":true,\"hostname\":\"app.example.com\"}";
        replies[1] = "{\"success\":true,\"data\":{\"id\":\"" MEETING "\"}}";
        if (from_header) fake_request_header("CF-Turnstile-Response", "turnstile-ok");
        const fake_response *r =
            send("POST", "/api/video-call/session", from_header ? "{}" : "{\"turnstile_token\":\"turnstile-ok\"}");
        CHECK_INT(r->status, 200);
        CHECK_INT(fake_sent_count(), 2);
        CHECK_STR(fake_sent_at(0)->url, "https://challenges.cloudflare.com/turnstile/v0/siteverify");
        CHECK_STR(fake_sent_at(0)->body,
                  "{\"secret\":\"0x4AAAAAAAfakeSecret\",\"response\":\"turnstile-ok\",\"remoteip\":\"203.0.113.9\"}");
        CHECK_STR(fake_sent_at(1)->url, KIT "/meetings");
        CHECK_STR(fake_sent_at(1)->body, "{}"); /* the token is not passed on */
    }
}

static void turnstile_failure_is_403_without_a_meeting(void) {
    const char *verdicts[] = {"{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}", "not json", "{}"};
    for (size_t i = 0; i < 3; i++) {
        setup();
        fake_config("TURNSTILE_SECRET_KEY", "0x4AAAAAAAfakeSecret");
        replies[0] = verdicts[i];
        const fake_response *r = send("POST", "/api/video-call/session", "{\"turnstile_token\":\"bad\"}");
        CHECK_INT(r->status, 403);
        CHECK_STR(r->body, "{\"error\":\"Bot check failed\",\"code\":\"FORBIDDEN\"}");
        CHECK_INT(fake_sent_count(), 1);
        for (int l = 0; l < fake_log_count(); l++) CHECK(strstr(fake_log_at(l), "fakeSecret") == NULL);
    }
}

/* ---- tracing ------------------------------------------------------------ */

static void request_id_and_server_timing_on_every_response(void) {
    setup();
    fake_request_header("CF-Ray", "8f1e2d3c4b5a6978-SJC");
    send("POST", "/api/video-call/session", "{}");
    CHECK_STR(fake_response_header("X-Request-Id"), "8f1e2d3c4b5a6978-SJC");
    CHECK_STR(fake_response_header("Server-Timing"), "upstream;dur=1");
    CHECK(strstr(fake_log_at(0), "\"request_id\":\"8f1e2d3c4b5a6978-SJC\"") != NULL);

    const char *paths[] = {"/nope", "/api/video-call/health"};
    for (size_t i = 0; i < 2; i++) {
        setup();
        fake_request_header("CF-Ray", "bad ray\"with quotes");
        send("GET", paths[i], NULL);
        const char *id = fake_response_header("X-Request-Id");
        CHECK(id != NULL && strlen(id) == 36 && id[14] == '4');
        CHECK_STR(fake_response_header("Server-Timing"), "upstream;dur=0");
    }
}

int main(void) {
    static const check_case cases[] = {
        CASE(allowed_origin_is_echoed_with_vary),
        CASE(preflight_for_an_allowed_origin),
        CASE(denied_origin_gets_no_cors_headers_and_is_refused),
        CASE(same_origin_and_no_origin_need_no_cors),
        CASE(presets_outside_the_allowlist_are_refused),
        CASE(default_preset_is_the_first_allowed),
        CASE(refresh_calls_the_refresh_operation),
        CASE(refresh_validates_and_maps_404),
        CASE(over_the_limit_is_429_without_an_upstream_call),
        CASE(under_the_limit_or_without_a_binding_goes_on),
        CASE(turnstile_required_when_configured),
        CASE(turnstile_token_from_header_or_body_is_verified),
        CASE(turnstile_failure_is_403_without_a_meeting),
        CASE(request_id_and_server_timing_on_every_response),
    };
    return RUN("native-features", cases);
}
