/* test_meetings.c - a meeting's life after it is made: looking it up
 * (GET /session/{id}), the host ending it (POST /session/end: PATCH to
 * INACTIVE, then kick-all), and a join refused because it has ended (410).
 * Each case checks the answer, the calls sent upstream in order, and the log. */
#include <string.h>

#include "check.h"
#include "fake_host.h"
#include "host.h"
#include "host_key.h"

#define ACCOUNT "0123456789abcdef0123456789abcdef"
#define APP "11111111-2222-4333-8444-555555555555"
#define KIT "https://api.cloudflare.com/client/v4/accounts/" ACCOUNT "/realtime/kit/" APP
#define MEETING "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10"
#define SECRET "test-host-key-secret"
#define HOST_KEY "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg" /* see test_host_key.c */
#define OTHER_KEY "v1.cAjmR0g3sQE1s60QLNzeaVmgbZv3ME8JnXlB-SDEF-U"
#define MEETING_REPLY(title, status) \
    "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":" title ",\"status\":\"" status "\"}}"
#define KICKED "{\"success\":true,\"data\":{\"action\":\"kick-all\",\"kicked_participants_count\":2}}"
#define NOT_FOUND_REPLY "{\"success\":false,\"error\":{\"code\":404,\"message\":\"Not found\"}}"
#define END_BODY "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"" HOST_KEY "\"}"
#define SERVER_ERROR "{\"success\":false,\"error\":{\"code\":500,\"message\":\"boom\"}}"

static fake_reply replies[4];

static fake_reply answer(const fake_sent *sent, int index) {
    (void)sent;
    return index < 4 ? replies[index] : (fake_reply){0, 500, NULL, "{}"};
}

/* Upstream answers the calls in order with these statuses and bodies. */
static void upstream(int s0, const char *b0, int s1, const char *b1) {
    replies[0] = (fake_reply){0, s0, "Content-Type: application/json\n", b0};
    replies[1] = (fake_reply){0, s1, "Content-Type: application/json\n", b1};
    fake_upstream(answer);
}

static void setup(const char *secret) {
    fake_reset();
    fake_config_complete();
    fake_config("REALTIMEKIT_API_BASE", "https://api.cloudflare.com/client/v4");
    if (secret) fake_config(VC_CFG_HOST_KEY_SECRET, secret);
}

static const fake_response *get(const char *path) {
    fake_request("GET", path);
    return fake_run();
}

static const fake_response *post(const char *path, const char *body) {
    fake_request("POST", path);
    fake_request_body(body, strlen(body));
    return fake_run();
}

#define REALTIMEKIT_FAILED "{\"error\":\"RealtimeKit request failed\",\"code\":\"REALTIMEKIT_ERROR\"}"

/* ---- GET /api/video-call/session/{meeting_id} ----------------------------- */

static void lookup_answers_title_and_status(void) {
    setup(NULL);
    upstream(200, MEETING_REPLY("\"Team sync\"", "ACTIVE"), 0, NULL);
    const fake_response *r = get("/api/video-call/session/" MEETING);
    CHECK_INT(r->status, 200);
    CHECK_STR(r->body, "{\"meeting_id\":\"" MEETING "\",\"title\":\"Team sync\",\"active\":true}");
    CHECK_INT(fake_sent_count(), 1);
    CHECK_STR(fake_sent_at(0)->method, "GET");
    CHECK_STR(fake_sent_at(0)->url, KIT "/meetings/" MEETING);
    CHECK_INT(fake_sent_at(0)->body_len, 0);
    CHECK(strstr(fake_sent_at(0)->headers, "Content-Type") == NULL);
    CHECK_INT(fake_body_reads(), 0);
    CHECK(fake_log_contains("\"event\":\"meeting_found\""));
    CHECK(!fake_log_contains("Team sync"));

    setup(NULL);
    upstream(200, MEETING_REPLY("null", "INACTIVE"), 0, NULL);
    r = get("/api/video-call/session/8C1A5E8E-1F0B-4C55-9A56-0D7A2D8E7F10");
    CHECK_INT(r->status, 200);
    CHECK_STR(r->body, "{\"meeting_id\":\"" MEETING "\",\"title\":null,\"active\":false}");
    CHECK_STR(fake_sent_at(0)->url, KIT "/meetings/" MEETING);

    setup(NULL); /* no title at all: null */
    upstream(200, "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"status\":\"ACTIVE\"}}", 0, NULL);
    r = get("/api/video-call/session/" MEETING);
    CHECK_STR(r->body, "{\"meeting_id\":\"" MEETING "\",\"title\":null,\"active\":true}");
}

static void lookup_of_an_unknown_meeting_is_404(void) {
    setup(NULL);
    upstream(404, NOT_FOUND_REPLY, 0, NULL);
    const fake_response *r = get("/api/video-call/session/" MEETING);
    CHECK_INT(r->status, 404);
    CHECK_STR(r->body, "{\"error\":\"Meeting not found\",\"code\":\"NOT_FOUND\"}");
    CHECK_INT(fake_sent_count(), 1);
}

static void lookup_refuses_a_bad_id_or_path_without_a_call(void) {
    const char *bad[] = {"not-a-uuid", "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f1", "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f100",
                         "8c1a5e8e%2D1f0b-4c55-9a56-0d7a2d8e7f10", "end"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setup(NULL);
        upstream(200, MEETING_REPLY("null", "ACTIVE"), 0, NULL);
        char path[160] = "/api/video-call/session/";
        strcat(path, bad[i]);
        const fake_response *r = get(path);
        if (i < 4) {
            CHECK_INT(r->status, 400);
            CHECK_STR(r->body, "{\"error\":\"meeting_id must be a UUID\",\"code\":\"INVALID_INPUT\"}");
        } else { /* /session/end names the host's route, absent without HOST_KEY_SECRET */
            CHECK_INT(r->status, 404);
        }
        CHECK_INT(fake_sent_count(), 0);
    }
    const char *not_routes[] = {"/api/video-call/session/", ("/api/video-call/session/" MEETING "/x"),
                                ("/api/video-call/session//" MEETING)};
    for (size_t i = 0; i < sizeof not_routes / sizeof not_routes[0]; i++) {
        setup(NULL);
        const fake_response *r = get(not_routes[i]);
        CHECK_INT(r->status, 404);
        CHECK_STR(r->body, "{\"error\":\"Not found\",\"code\":\"NOT_FOUND\"}");
        CHECK_INT(fake_sent_count(), 0);
    }
    setup(NULL);
    fake_request("POST", "/api/video-call/session/" MEETING);
    const fake_response *r = fake_run();
    CHECK_INT(r->status, 405);
    CHECK_STR(fake_response_header("Allow"), "GET, OPTIONS");
    setup(NULL);
    fake_request("OPTIONS", "/api/video-call/session/" MEETING);
    r = fake_run();
    CHECK_INT(r->status, 204);
    CHECK_STR(fake_response_header("Allow"), "GET, OPTIONS");
}

typedef struct bad_reply {
    const char *body;
    const char *reason;
} bad_reply;

static void lookup_checks_the_reply(void) {
    static char long_title[400];
    strcpy(long_title, "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"status\":\"ACTIVE\",\"title\":\"");
    for (int i = 0; i < 257; i++) strcat(long_title, "t");
    strcat(long_title, "\"}}");
    const bad_reply cases[] = {
        {MEETING_REPLY("\"a\\u0007b\"", "ACTIVE"), "the title in the reply holds a control character"},
        {MEETING_REPLY("\"a\\u009fb\"", "ACTIVE"), "the title in the reply holds a control character"},
        {MEETING_REPLY("\"line\\nbreak\"", "ACTIVE"), "the title in the reply holds a control character"},
        {MEETING_REPLY("7", "ACTIVE"), "the title in the reply is not a string"},
        {MEETING_REPLY("{}", "ACTIVE"), "the title in the reply is not a string"},
        {long_title, "the title in the reply is over 256 characters"},
        {MEETING_REPLY("\"t\"", "active"), "the status in the reply is not ACTIVE or INACTIVE"},
        {MEETING_REPLY("\"t\"", "ENDED"), "the status in the reply is not ACTIVE or INACTIVE"},
        {"{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":\"t\"}}",
         "the status in the reply is not ACTIVE or INACTIVE"},
        {"{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":\"t\",\"status\":true}}",
         "the status in the reply is not ACTIVE or INACTIVE"},
        {"{\"success\":true,\"data\":{\"title\":\"t\",\"status\":\"ACTIVE\"}}", "an id in the reply is missing or not a string"},
        {"{\"success\":true,\"data\":{\"id\":\"x\",\"title\":\"t\",\"status\":\"ACTIVE\"}}", "an id in the reply is not a UUID"},
        {"{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":\"t\",\"title\":\"u\",\"status\":\"ACTIVE\"}}",
         "reply repeats a key"},
        {"{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":\"\\ud800\",\"status\":\"ACTIVE\"}}",
         "reply is not JSON"},
        {"{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":\"\\u0000\",\"status\":\"ACTIVE\"}}",
         "reply holds \\\\u0000"},
        {"{\"success\":true,\"data\":[]}", "reply has no data"},
        {"<html>", "reply is not JSON"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup(NULL);
        upstream(200, cases[i].body, 0, NULL);
        const fake_response *r = get("/api/video-call/session/" MEETING);
        CHECK_INT(r->status, 500);
        CHECK_STR(r->body, REALTIMEKIT_FAILED);
        CHECK(fake_log_contains(cases[i].reason));
        if (!fake_log_contains(cases[i].reason)) check_fail(__FILE__, __LINE__, "case %zu: %s", i, fake_log_at(0));
        CHECK(!fake_log_contains("\"title\":\"t"));
    }
    /* Up to the cap, in characters rather than bytes, a title passes. */
    setup(NULL);
    static char wide[1400];
    strcpy(wide, "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"status\":\"ACTIVE\",\"title\":\"");
    for (int i = 0; i < 256; i++) strcat(wide, "\xc3\xa9");
    strcat(wide, "\"}}");
    upstream(200, wide, 0, NULL);
    CHECK_INT(get("/api/video-call/session/" MEETING)->status, 200);
}

/* ---- POST /api/video-call/session/end -------------------------------------- */

static void end_deactivates_then_removes_everyone(void) {
    setup(SECRET);
    upstream(200, MEETING_REPLY("null", "INACTIVE"), 200, KICKED);
    const fake_response *r = post("/api/video-call/session/end", END_BODY);
    CHECK_INT(r->status, 200);
    CHECK_STR(r->body, "{\"meeting_id\":\"" MEETING "\",\"active\":false}");
    CHECK_INT(fake_sent_count(), 2);
    CHECK_STR(fake_sent_at(0)->method, "PATCH");
    CHECK_STR(fake_sent_at(0)->url, KIT "/meetings/" MEETING);
    CHECK_STR(fake_sent_at(0)->body, "{\"status\":\"INACTIVE\"}");
    CHECK(strstr(fake_sent_at(0)->headers, "Content-Type") != NULL);
    CHECK_STR(fake_sent_at(1)->method, "POST");
    CHECK_STR(fake_sent_at(1)->url, KIT "/meetings/" MEETING "/active-session/kick-all");
    CHECK_INT(fake_sent_at(1)->body_len, 0);
    CHECK_INT(fake_hmac_calls(), 1);
    CHECK(fake_log_contains("\"event\":\"meeting_ended\""));
    CHECK(!fake_log_contains(HOST_KEY));
    CHECK(!fake_log_contains(SECRET));
    /* The reply may leave the status out; no live session (404) is no error. */
    setup(SECRET);
    upstream(200, "{\"success\":true,\"data\":{\"id\":\"" MEETING "\"}}", 404, NOT_FOUND_REPLY);
    r = post("/api/video-call/session/end", END_BODY);
    CHECK_INT(r->status, 200);
    CHECK_STR(r->body, "{\"meeting_id\":\"" MEETING "\",\"active\":false}");
    CHECK_INT(fake_sent_count(), 2);
}

static void end_of_an_unknown_meeting_is_404_after_one_call(void) {
    setup(SECRET);
    upstream(404, NOT_FOUND_REPLY, 200, KICKED);
    const fake_response *r = post("/api/video-call/session/end", END_BODY);
    CHECK_INT(r->status, 404);
    CHECK_STR(r->body, "{\"error\":\"Meeting not found\",\"code\":\"NOT_FOUND\"}");
    CHECK_INT(fake_sent_count(), 1);
}

static void end_reports_either_call_failing(void) {
    const struct {
        int s0;
        const char *b0;
        int s1;
        const char *b1;
        int calls;
        const char *reason;
    } cases[] = {
        {500, SERVER_ERROR, 200, KICKED, 1, "error status"},
        {200, MEETING_REPLY("null", "ACTIVE"), 200, KICKED, 1, "the meeting is not INACTIVE after the update"},
        {200, "{\"success\":true,\"data\":{\"status\":null}}", 200, KICKED, 1, "the meeting is not INACTIVE after the update"},
        {200, "not json", 200, KICKED, 1, "reply is not JSON"},
        {302, "", 200, KICKED, 1, "redirect refused"},
        {200, MEETING_REPLY("null", "INACTIVE"), 500, SERVER_ERROR, 2, "error status"},
        {200, MEETING_REPLY("null", "INACTIVE"), 200, "{\"success\":false}", 2, "success is not true"},
        {200, MEETING_REPLY("null", "INACTIVE"), 200, "{\"success\":true,\"data\":7}", 2, "reply has no data"},
        {200, MEETING_REPLY("null", "INACTIVE"), 401, "{\"message\":\"Unauthorized\"}", 2, "api token refused"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup(SECRET);
        upstream(cases[i].s0, cases[i].b0, cases[i].s1, cases[i].b1);
        const fake_response *r = post("/api/video-call/session/end", END_BODY);
        CHECK_INT(r->status, 500);
        CHECK_STR(r->body, REALTIMEKIT_FAILED);
        CHECK_INT(fake_sent_count(), cases[i].calls);
        CHECK(fake_log_contains("\"event\":\"realtimekit_error\""));
        CHECK(fake_log_contains(cases[i].reason));
    }
}

static void end_refuses_bad_keys_without_a_call(void) {
    const char *keys[] = {OTHER_KEY, "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwh",
                          "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pw", "V1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg",
                          "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg=", "v0.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        setup(SECRET);
        upstream(200, MEETING_REPLY("null", "INACTIVE"), 200, KICKED);
        char body[256] = "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"";
        strcat(body, keys[i]);
        strcat(body, "\"}");
        const fake_response *r = post("/api/video-call/session/end", body);
        CHECK_INT(r->status, 403);
        CHECK_STR(r->body, "{\"error\":\"Invalid host key\",\"code\":\"FORBIDDEN\"}");
        CHECK_INT(fake_sent_count(), 0);
        CHECK(!fake_log_contains(keys[i]));
    }
    const char *bodies[] = {"{\"meeting_id\":\"" MEETING "\"}", "{\"host_key\":\"" HOST_KEY "\"}",
                            "{\"meeting_id\":\"" MEETING "\",\"host_key\":7}", ""};
    const char *messages[] = {"host_key is required", "meeting_id is required", "host_key must be a string",
                              "Request body must be a JSON object"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        setup(SECRET);
        const fake_response *r = post("/api/video-call/session/end", bodies[i]);
        CHECK_INT(r->status, 400);
        char want[160] = "{\"error\":\"";
        strcat(want, messages[i]);
        strcat(want, "\",\"code\":\"INVALID_INPUT\"}");
        CHECK_STR(r->body, want);
        CHECK_INT(fake_sent_count(), 0);
        CHECK_INT(fake_hmac_calls(), 0);
    }
}

static void end_exists_only_with_host_keys(void) {
    setup(NULL);
    upstream(200, MEETING_REPLY("null", "INACTIVE"), 200, KICKED);
    const fake_response *r = post("/api/video-call/session/end", END_BODY);
    CHECK_INT(r->status, 404);
    CHECK_STR(r->body, "{\"error\":\"Not found\",\"code\":\"NOT_FOUND\"}");
    CHECK_INT(fake_sent_count(), 0);
    CHECK_INT(fake_body_reads(), 0);
    setup(NULL);
    fake_request("OPTIONS", "/api/video-call/session/end");
    CHECK_INT(fake_run()->status, 404);
    setup(SECRET);
    fake_request("GET", "/api/video-call/session/end");
    r = fake_run();
    CHECK_INT(r->status, 405);
    CHECK_STR(fake_response_header("Allow"), "POST, OPTIONS");
    CHECK_INT(fake_sent_count(), 0);
}

/* ---- a join after the end -------------------------------------------------- */

static void a_refused_join_asks_whether_the_meeting_has_ended(void) {
    const char *join = "{\"meeting_id\":\"" MEETING "\"}";
    const char *refusal = "{\"success\":false,\"error\":{\"code\":400,\"message\":\"Meeting is inactive\"}}";
    setup(NULL);
    upstream(400, refusal, 200, MEETING_REPLY("null", "INACTIVE"));
    const fake_response *r = post("/api/video-call/token", join);
    CHECK_INT(r->status, 410);
    CHECK_STR(r->body, "{\"error\":\"Meeting has ended\",\"code\":\"MEETING_ENDED\"}");
    CHECK_INT(fake_sent_count(), 2);
    CHECK_STR(fake_sent_at(1)->method, "GET");
    CHECK_STR(fake_sent_at(1)->url, KIT "/meetings/" MEETING);
    CHECK(fake_log_contains("\"event\":\"meeting_inactive\""));
    CHECK(fake_log_contains("\"upstream_status\":400"));

    /* Still active: the refusal stands, as RealtimeKit's status said. */
    setup(NULL);
    upstream(422, refusal, 200, MEETING_REPLY("null", "ACTIVE"));
    r = post("/api/video-call/token", join);
    CHECK_INT(r->status, 500);
    CHECK_STR(r->body, REALTIMEKIT_FAILED);
    CHECK_INT(fake_sent_count(), 2);
    CHECK(fake_log_contains("participant refused"));
    CHECK(fake_log_contains("\"upstream_status\":422"));

    setup(NULL); /* gone meanwhile */
    upstream(409, refusal, 404, NOT_FOUND_REPLY);
    r = post("/api/video-call/token", join);
    CHECK_INT(r->status, 404);
    CHECK_INT(fake_sent_count(), 2);

    setup(NULL); /* the lookup fails: the refusal stands */
    upstream(400, refusal, 200, "{\"success\":true,\"data\":{\"status\":\"CLOSED\"}}");
    CHECK_INT(post("/api/video-call/token", join)->status, 500);

    /* Refusals that say why are not asked about. */
    const int statuses[] = {401, 403, 404, 429, 500, 503};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        setup(NULL);
        upstream(statuses[i], refusal, 200, MEETING_REPLY("null", "INACTIVE"));
        r = post("/api/video-call/token", join);
        CHECK_INT(r->status, statuses[i] == 404 ? 404 : 500);
        CHECK_INT(fake_sent_count(), 1);
    }
}

/* ---- CORS and rate limiting, as on the other routes ------------------------- */

#define APP_ORIGIN "https://app.example.com"

static void new_routes_are_cors_checked_and_rate_limited(void) {
    struct {
        const char *method, *path, *body, *allow;
    } routes[] = {
        {"GET", "/api/video-call/session/" MEETING, NULL, "GET, OPTIONS"},
        {"POST", "/api/video-call/session/end", END_BODY, "POST, OPTIONS"},
    };
    for (size_t i = 0; i < 2; i++) {
        /* An allowed origin: the preflight names the path's methods; the answer echoes the origin. */
        setup(SECRET);
        fake_config("ALLOWED_ORIGINS", APP_ORIGIN);
        fake_request_header("Origin", APP_ORIGIN);
        fake_request("OPTIONS", routes[i].path);
        const fake_response *r = fake_run();
        CHECK_INT(r->status, 204);
        CHECK_STR(fake_response_header("Access-Control-Allow-Origin"), APP_ORIGIN);
        CHECK_STR(fake_response_header("Access-Control-Allow-Methods"), routes[i].allow);
        CHECK_STR(fake_response_header("Allow"), routes[i].allow);
        CHECK_INT(fake_sent_count(), 0);
        setup(SECRET);
        fake_config("ALLOWED_ORIGINS", APP_ORIGIN);
        fake_request_header("Origin", APP_ORIGIN);
        upstream(200, MEETING_REPLY("null", "INACTIVE"), 200, KICKED);
        r = routes[i].body ? post(routes[i].path, routes[i].body) : get(routes[i].path);
        CHECK_INT(r->status, 200);
        CHECK_STR(fake_response_header("Access-Control-Allow-Origin"), APP_ORIGIN);
        /* A denied origin: 403, nothing sent, no CORS headers. */
        for (int preflight = 0; preflight < 2; preflight++) {
            setup(SECRET);
            fake_config("ALLOWED_ORIGINS", "https://other.example");
            fake_request_header("Origin", APP_ORIGIN);
            upstream(200, MEETING_REPLY("null", "INACTIVE"), 200, KICKED);
            if (preflight) {
                fake_request("OPTIONS", routes[i].path);
                r = fake_run();
            } else {
                r = routes[i].body ? post(routes[i].path, routes[i].body) : get(routes[i].path);
            }
            CHECK_INT(r->status, 403);
            CHECK_STR(r->body, "{\"error\":\"Origin not allowed\",\"code\":\"FORBIDDEN\"}");
            CHECK(fake_response_header("Access-Control-Allow-Origin") == NULL);
            CHECK_INT(fake_sent_count(), 0);
            CHECK_INT(fake_hmac_calls(), 0);
        }
        /* Over the limit: 429, nothing sent. */
        setup(SECRET);
        fake_rate_limiter(1);
        fake_request_header("CF-Connecting-IP", "203.0.113.9");
        upstream(200, MEETING_REPLY("null", "INACTIVE"), 200, KICKED);
        r = routes[i].body ? post(routes[i].path, routes[i].body) : get(routes[i].path);
        CHECK_INT(r->status, 429);
        CHECK_STR(fake_response_header("Retry-After"), "60");
        CHECK_INT(fake_sent_count(), 0);
    }
    /* Every meeting's lookup shares one allowance per address: the key is the route's, not the id's. */
    setup(NULL);
    fake_rate_limiter(0);
    fake_request_header("CF-Connecting-IP", "203.0.113.9");
    upstream(200, MEETING_REPLY("null", "ACTIVE"), 0, NULL);
    get("/api/video-call/session/" MEETING);
    CHECK_STR(fake_rate_limit_key(), "/api/video-call/session/ 203.0.113.9");
    setup(SECRET);
    fake_rate_limiter(0);
    fake_request_header("CF-Connecting-IP", "203.0.113.9");
    upstream(200, MEETING_REPLY("null", "INACTIVE"), 200, KICKED);
    post("/api/video-call/session/end", END_BODY);
    CHECK_STR(fake_rate_limit_key(), "/api/video-call/session/end 203.0.113.9");
}

/* ---- the call budget --------------------------------------------------------- */

static void both_of_the_ends_calls_count_in_the_budget(void) {
    fake_isolate_reset(0);
    setup(SECRET);
    fake_config("REALTIMEKIT_BUDGET", "20/5"); /* a sixteenth of 20 is 1: each call asks the object */
    upstream(200, MEETING_REPLY("null", "INACTIVE"), 200, KICKED);
    CHECK_INT(post("/api/video-call/session/end", END_BODY)->status, 200);
    CHECK_INT(fake_budget_messages(), 2);
    CHECK_INT(fake_waits(), 6); /* body, host key, permit, update, permit, kick-all */

    /* Three calls in the budget: an end (two) and a lookup (one) spend it; the next end makes no call. */
    fake_isolate_reset(0);
    const char *order[] = {"end", "lookup", "end"};
    for (size_t i = 0; i < 3; i++) {
        setup(SECRET);
        fake_config("REALTIMEKIT_BUDGET", "3/5");
        upstream(200, MEETING_REPLY("null", "INACTIVE"), 200, KICKED);
        const fake_response *r = order[i][0] == 'e' ? post("/api/video-call/session/end", END_BODY)
                                                    : get("/api/video-call/session/" MEETING);
        CHECK_INT(r->status, i < 2 ? 200 : 429);
        CHECK_INT(fake_sent_count(), i == 0 ? 2 : i == 1 ? 1 : 0);
    }
    fake_isolate_reset(-1);
}

int main(void) {
    static const check_case cases[] = {
        CASE(lookup_answers_title_and_status),
        CASE(lookup_of_an_unknown_meeting_is_404),
        CASE(lookup_refuses_a_bad_id_or_path_without_a_call),
        CASE(lookup_checks_the_reply),
        CASE(end_deactivates_then_removes_everyone),
        CASE(end_of_an_unknown_meeting_is_404_after_one_call),
        CASE(end_reports_either_call_failing),
        CASE(end_refuses_bad_keys_without_a_call),
        CASE(end_exists_only_with_host_keys),
        CASE(a_refused_join_asks_whether_the_meeting_has_ended),
        CASE(new_routes_are_cors_checked_and_rate_limited),
        CASE(both_of_the_ends_calls_count_in_the_budget),
    };
    return RUN("native-meetings", cases);
}
