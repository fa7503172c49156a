/* test_steps.c - the step protocol (task.h, exports.h): what a request waits
 * on, in which order, and what vc_resume does with a handle that names no
 * task. fake_run() itself fails any wait with nothing started. */
#include <string.h>

#include "check.h"
#include "exports.h"
#include "fake_host.h"
#include "host.h"
#include "task.h"

#define MEETING_CREATED "{\"success\":true,\"data\":{\"id\":\"8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10\"}}"
#define SITEVERIFY_OK "{\"success\":true}"

static fake_reply answer(const fake_sent *sent, int index) {
    (void)index;
    if (strstr(sent->url, "siteverify")) return (fake_reply){0, 200, NULL, SITEVERIFY_OK};
    return (fake_reply){0, 201, NULL, MEETING_CREATED};
}

static const fake_response *session(const char *body) {
    fake_config_complete();
    fake_upstream(answer);
    fake_request("POST", "/api/video-call/session");
    fake_request_body(body, strlen(body));
    return fake_run();
}

static void answers_without_waiting_when_nothing_is_asked_of_the_host(void) {
    const char *paths[] = {"/api/video-call/health", "/nope"};
    for (size_t i = 0; i < 2; i++) {
        fake_reset();
        fake_request("GET", paths[i]);
        (void)fake_run();
        CHECK_INT(fake_waits(), 0);
        CHECK_INT(fake_body_reads(), 0);
    }
    fake_reset(); /* a refused Origin never reads the body */
    fake_request_header("Origin", "https://evil.example");
    fake_request("POST", "/api/video-call/session");
    CHECK_INT(fake_run()->status, 403);
    CHECK_INT(fake_waits(), 0);
}

/* A session request whose settings (fake_config_complete, then `extra`) are
 * the previous run's environment object when `same` is set. */
static const fake_response *session_in(int same, const char *extra_name, const char *extra_value) {
    fake_reset();
    fake_config_complete();
    if (extra_name) fake_config(extra_name, extra_value);
    if (same) fake_same_environment();
    fake_upstream(answer);
    fake_request("POST", "/api/video-call/session");
    fake_request_body("{}", 2);
    return fake_run();
}

static void settings_are_parsed_once_per_environment_but_the_token_is_read_each_time(void) {
    CHECK_INT(session_in(0, NULL, NULL)->status, 200);
    int first = fake_config_reads();
    CHECK_INT(session_in(1, NULL, NULL)->status, 200);
    /* account, app, API base, timeout, budget, whether Turnstile's and the
     * host key's secrets are set, the five AUTH_* settings: not again; the
     * API token: again */
    CHECK_INT(first, 13);
    CHECK_INT(fake_config_reads(), 1);
    CHECK(strstr(fake_sent_at(0)->headers, "Bearer fake-api-token-do-not-leak") != NULL);
    /* a malformed setting is refused in every request, never served from a parse */
    CHECK_INT(session_in(0, "REALTIMEKIT_TIMEOUT_MS", "soon")->status, 500);
    CHECK_INT(session_in(1, "REALTIMEKIT_TIMEOUT_MS", "soon")->status, 500);
    CHECK_INT(fake_sent_count(), 0);
    /* the token is not part of the parse: one that goes missing is missed */
    CHECK_INT(session_in(0, NULL, NULL)->status, 200);
    CHECK_INT(session_in(1, "CLOUDFLARE_REALTIME_API_TOKEN", "")->status, 500);
    CHECK_INT(fake_sent_count(), 0);
    CHECK(strstr(fake_log_at(0), "\"setting\":\"CLOUDFLARE_REALTIME_API_TOKEN\"") != NULL);
}

static void a_session_waits_for_the_body_then_for_realtimekit(void) {
    fake_reset();
    const fake_response *r = session("{\"name\":\"Standup\"}");
    CHECK_INT(r->status, 200);
    CHECK_INT(fake_waits(), 2);
    CHECK_INT(fake_body_reads(), 1);
    CHECK_INT(fake_sent_count(), 1);
}

static void guards_add_one_wait_each(void) {
    fake_reset();
    fake_rate_limiter(0);
    CHECK_INT(session("{}")->status, 200);
    CHECK_INT(fake_waits(), 3); /* rate limit, body, RealtimeKit */
    fake_reset();
    fake_rate_limiter(0);
    fake_config("TURNSTILE_SECRET_KEY", "fake-turnstile-secret");
    CHECK_INT(session("{\"turnstile_token\":\"tok\"}")->status, 200);
    CHECK_INT(fake_waits(), 4); /* rate limit, body, siteverify, RealtimeKit */
    CHECK_INT(fake_sent_count(), 2);
    CHECK(strstr(fake_sent_at(0)->url, "siteverify") != NULL);
}

static void a_limited_request_stops_after_the_rate_limit_wait(void) {
    fake_reset();
    fake_rate_limiter(1);
    CHECK_INT(session("{}")->status, 429);
    CHECK_INT(fake_waits(), 1);
    CHECK_INT(fake_body_reads(), 0);
    CHECK_INT(fake_sent_count(), 0);
}

static void a_handle_that_names_no_task_is_answered_with_500(void) {
    static vc_task not_a_task; /* zeroed: no live task there */
    fake_reset();
    long before = vc_alloc_live_export();
    CHECK(vc_resume((vc_task_handle)&not_a_task) == 0);
    const fake_response *r = fake_last_response();
    CHECK_INT(r->responded, 1);
    CHECK_INT(r->status, 500);
    CHECK_STR(r->body, "{\"error\":\"Internal error\",\"code\":\"INTERNAL_ERROR\"}");
    CHECK_INT(vc_alloc_live_export(), before);
}

int main(void) {
    static const check_case cases[] = {
        CASE(answers_without_waiting_when_nothing_is_asked_of_the_host),
        CASE(a_session_waits_for_the_body_then_for_realtimekit),
        CASE(settings_are_parsed_once_per_environment_but_the_token_is_read_each_time),
        CASE(guards_add_one_wait_each),
        CASE(a_limited_request_stops_after_the_rate_limit_wait),
        CASE(a_handle_that_names_no_task_is_answered_with_500),
    };
    return RUN("native-steps", cases);
}
