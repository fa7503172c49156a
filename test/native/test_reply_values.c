/* test_reply_values.c - what RealtimeKit answers is checked as strictly as a
 * request before a client sees it: ids must be UUIDs (answered lowercase),
 * tokens non-empty, at most 8192 bytes, without control characters, and the
 * reply strict JSON. Anything else is 500 REALTIMEKIT_ERROR, logged with the
 * reason and never the value; the same rules for all three routes. */
#include <string.h>

#include "check.h"
#include "fake_host.h"

#define MEETING "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10"
#define PARTICIPANT "0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e"
#define TOKEN "eyJhbGciOiJSUzI1NiJ9.participant-token.sig"
#define RTK_ERROR "{\"error\":\"RealtimeKit request failed\",\"code\":\"REALTIMEKIT_ERROR\"}"

static const char *next_body;

static fake_reply answer(const fake_sent *sent, int index) {
    (void)sent, (void)index;
    return (fake_reply){0, 201, NULL, next_body};
}

typedef struct route {
    const char *path, *body;
} route;

static const route SESSION = {"/api/video-call/session", "{}"};
static const route TOKEN_ROUTE = {"/api/video-call/token", "{\"meeting_id\":\"" MEETING "\"}"};
static const route REFRESH = {"/api/video-call/token/refresh",
                              "{\"meeting_id\":\"" MEETING "\",\"participant_id\":\"" PARTICIPANT "\"}"};

static const fake_response *call(const route *r, const char *reply) {
    fake_reset();
    fake_config_complete();
    next_body = reply;
    fake_upstream(answer);
    fake_request("POST", r->path);
    fake_request_body(r->body, strlen(r->body));
    return fake_run();
}

/* A 500 REALTIMEKIT_ERROR after one call, logged once with `reason` and
 * without `value` (the bad value itself) anywhere in the log. */
static void expect_refused(const route *r, const char *reply, const char *reason, const char *value) {
    const fake_response *res = call(r, reply);
    CHECK_INT(res->status, 500);
    CHECK_STR(res->body, RTK_ERROR);
    CHECK_INT(fake_sent_count(), 1);
    CHECK_INT(fake_log_count(), 1);
    CHECK(strstr(fake_log_at(0), "\"event\":\"realtimekit_error\"") != NULL);
    CHECK(strstr(fake_log_at(0), "\"upstream_status\":201") != NULL);
    if (!strstr(fake_log_at(0), reason)) check_fail(__FILE__, __LINE__, "%s: log %s lacks %s", r->path, fake_log_at(0), reason);
    if (value && strstr(fake_log_at(0), value)) check_fail(__FILE__, __LINE__, "%s: log holds %s", r->path, value);
}

static void expect_answer(const route *r, const char *reply, const char *want) {
    const fake_response *res = call(r, reply);
    if (res->status != 200) {
        check_fail(__FILE__, __LINE__, "%s: status %d, log %s", r->path, res->status, fake_log_count() ? fake_log_at(0) : "");
        return;
    }
    CHECK_STR(res->body, want);
    CHECK_INT(fake_log_count(), 1);
}

#define DATA(fields) "{\"success\":true,\"data\":{" fields "}}"
#define PARTICIPANT_WITH(id, token) DATA("\"id\":\"" id "\",\"token\":\"" token "\"")

static void meeting_id_must_be_a_uuid(void) {
    const char *bad[] = {"../../x", "", "8c1a5e8e1f0b4c559a560d7a2d8e7f10", MEETING "/x", "{" MEETING "}",
                         "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f1g", MEETING "\\n"};
    char reply[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(reply, "{\"success\":true,\"data\":{\"id\":\"");
        strcat(reply, bad[i]);
        strcat(reply, "\"}}");
        expect_refused(&SESSION, reply, "\"reason\":\"an id in the reply is not a UUID\"", bad[i][0] ? bad[i] : NULL);
    }
    expect_refused(&SESSION, DATA("\"id\":null"), "an id in the reply is missing or not a string", NULL);
}

static void uuids_are_answered_lowercase(void) {
    expect_answer(&SESSION, DATA("\"id\":\"8C1A5E8E-1F0B-4C55-9A56-0D7A2D8E7F10\""), "{\"meeting_id\":\"" MEETING "\"}");
    expect_answer(&TOKEN_ROUTE, PARTICIPANT_WITH("0A8C7C1E-3B4F-4F7A-9D43-1F2A3B4C5D6E", TOKEN),
                  "{\"auth_token\":\"" TOKEN "\",\"participant_id\":\"" PARTICIPANT "\"}");
}

static void participant_id_must_be_a_uuid(void) {
    expect_refused(&TOKEN_ROUTE, PARTICIPANT_WITH("../../x", TOKEN), "an id in the reply is not a UUID", "../../x");
    expect_refused(&TOKEN_ROUTE, DATA("\"id\":7,\"token\":\"" TOKEN "\""), "an id in the reply is missing or not a string",
                   NULL);
}

/* The token's shapes, for the token and the refresh route alike. */
static void check_token_rules(const route *r) {
    expect_refused(r, PARTICIPANT_WITH(PARTICIPANT, "abc\\u0000def"), "\"reason\":\"reply holds \\\\u0000\"", "abc");
    expect_refused(r, PARTICIPANT_WITH(PARTICIPANT, ""), "the token in the reply is empty", NULL);
    expect_refused(r, DATA("\"id\":\"" PARTICIPANT "\",\"token\":42"), "the token in the reply is missing or not a string", NULL);
    expect_refused(r, DATA("\"id\":\"" PARTICIPANT "\""), "the token in the reply is missing or not a string", NULL);
    const char *controls[] = {"a\\u001fb", "a\\tb", "a\\u007fb", "a\\u0085b", "a\xc2\x9f" "b", "a\x7f" "b"};
    for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++) {
        char reply[256];
        strcpy(reply, "{\"success\":true,\"data\":{\"id\":\"" PARTICIPANT "\",\"token\":\"");
        strcat(reply, controls[i]);
        strcat(reply, "\"}}");
        expect_refused(r, reply, "the token in the reply holds a control character", NULL);
    }
    /* A raw control character in a string is not JSON at all. */
    expect_refused(r, PARTICIPANT_WITH(PARTICIPANT, "a\x01" "b"), "reply is not JSON", NULL);
}

static void token_must_be_a_clean_string(void) {
    check_token_rules(&TOKEN_ROUTE);
    check_token_rules(&REFRESH);
}

/* Exactly 8192 bytes pass; 8193 do not. */
static void token_length_is_bounded(void) {
    static char reply[9000], want[9000];
    const route *routes[] = {&TOKEN_ROUTE, &REFRESH};
    for (size_t limit = 8192; limit <= 8193; limit++) {
        for (size_t k = 0; k < 2; k++) {
            strcpy(reply, "{\"success\":true,\"data\":{\"id\":\"" PARTICIPANT "\",\"token\":\"");
            size_t at = strlen(reply);
            memset(reply + at, 't', limit);
            strcpy(reply + at + limit, "\"}}");
            if (limit == 8193) {
                expect_refused(routes[k], reply, "the token in the reply is over 8192 bytes", NULL);
                continue;
            }
            strcpy(want, "{\"auth_token\":\"");
            at = strlen(want);
            memset(want + at, 't', limit);
            strcpy(want + at + limit, k == 0 ? "\",\"participant_id\":\"" PARTICIPANT "\"}" : "\"}");
            expect_answer(routes[k], reply, want);
        }
    }
}

/* The reply is read as strictly as a request body. */
static void reply_must_be_strict_json(void) {
    expect_refused(&SESSION, "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":\"\xff\"}}", "reply is not UTF-8", NULL);
    expect_refused(&SESSION, "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":\"a\\u0000\"}}", "reply holds \\\\u0000", NULL);
    expect_refused(&SESSION, "{\"success\":true,\"success\":true,\"data\":{\"id\":\"" MEETING "\"}}", "reply repeats a key", NULL);
    expect_refused(&SESSION, "{\"success\":true,\"data\":{\"id\":\"../../x\",\"id\":\"" MEETING "\"}}", "reply repeats a key", NULL);
    expect_refused(&TOKEN_ROUTE, DATA("\"id\":\"" PARTICIPANT "\",\"token\":\"a\",\"token\":\"b\""), "reply repeats a key", NULL);
    expect_refused(&SESSION, "[1]", "reply is not a JSON object", NULL);
    expect_refused(&SESSION, DATA("\"id\":\"" MEETING "\"") " x", "reply is not JSON", NULL);
    /* \\u0000 spelled with an escaped backslash is the text "\u0000", not a NUL. */
    expect_answer(&SESSION, "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":\"\\\\u0000\"}}",
                  "{\"meeting_id\":\"" MEETING "\"}");
}

int main(void) {
    static const check_case cases[] = {
        CASE(meeting_id_must_be_a_uuid),
        CASE(uuids_are_answered_lowercase),
        CASE(participant_id_must_be_a_uuid),
        CASE(token_must_be_a_clean_string),
        CASE(token_length_is_bounded),
        CASE(reply_must_be_strict_json),
    };
    return RUN("native-reply-values", cases);
}
