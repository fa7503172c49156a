/* test_budget.c - the account's budget (budget.h): its arithmetic, the bound
 * it keeps across many isolates, and the permit steps of a request
 * (permit.h) against the fake host's budget object. */
#include <string.h>

#include "budget.h"
#include "check.h"
#include "fake_host.h"
#include "host.h"

#define T0 1700000000000.0
#define MEETING "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10"

/* ---- parsing ------------------------------------------------------------ */

static void rules_parse(void) {
    budget_rule r;
    CHECK_INT(budget_rule_parse("1000/300", &r), VC_OK);
    CHECK_INT(r.calls, 1000);
    CHECK_INT(r.seconds, 300);
    CHECK_INT(budget_rule_parse("1/86400", &r), VC_OK);
    const char *bad[] = {"", "/", "1000", "1000/", "/300", "0/300", "10/0", "10/86401", "1000001/1", "10 /5",
                         "10/5/1", "-1/5", "10/5s", "12345678/10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) CHECK_INT(budget_rule_parse(bad[i], &r), -1);
    CHECK_INT(budget_lease_ms(&(budget_rule){1000, 300}), 2000);
    CHECK_INT(budget_lease_ms(&(budget_rule){20, 5}), 250);
}

static void ratelimit_headers_parse(void) {
    uint32_t left = 0, reset = 0;
    CHECK_INT(budget_ratelimit_parse("\"default\";r=50;t=30", &left, &reset), VC_OK);
    CHECK_INT(left, 50);
    CHECK_INT(reset, 30);
    CHECK_INT(budget_ratelimit_parse("\"burst\";r=9;t=4, \"default\";r=3;t=200", &left, &reset), VC_OK);
    CHECK_INT(left, 3);
    CHECK_INT(reset, 200);
    CHECK_INT(budget_ratelimit_parse("\"default\";t=30", &left, &reset), -1);
    CHECK_INT(budget_ratelimit_parse("r=5;t=6", &left, &reset), -1); /* no item name: no ';' before r */
    CHECK_INT(budget_ratelimit_parse("\"x\";r=;t=6", &left, &reset), -1);
    CHECK_INT(budget_ratelimit_parse("", &left, &reset), -1);
}

/* ---- the object --------------------------------------------------------- */

/* An isolate asks the object and applies its answer, all at `now`. */
static budget_grant ask(budget_state *s, budget_lease *l, const budget_rule *rule, double now) {
    budget_msg m;
    budget_grant g;
    uint32_t retry;
    budget_lease_request(l, rule, now, &m);
    budget_apply(s, &m, now, &g);
    (void)budget_lease_grant(l, rule, now, now, &g, &retry);
    return g;
}

static void blocks_shrink_near_the_limit(void) {
    budget_state s = {0};
    budget_lease l = {0};
    budget_rule rule = {1000, 300};
    CHECK_INT(ask(&s, &l, &rule, T0).granted, BUDGET_BLOCK); /* 1000 free: 1000/16 > 10 */
    uint32_t total = BUDGET_BLOCK, last = 0;
    double now = T0;
    for (int i = 0; i < 2000; i++) { /* one ask a second, each from another isolate that keeps its permits */
        budget_lease fresh = {0};
        now += 1000;
        budget_grant g = ask(&s, &fresh, &rule, now);
        if (g.granted == 0) break;
        total += g.granted;
        last = g.granted;
    }
    CHECK_INT(total, 1000);
    CHECK_INT(last, 1); /* the last permits went one at a time */
    budget_lease other = {0};
    budget_grant g = ask(&s, &other, &rule, now);
    CHECK_INT(g.granted, 0);
    /* the wait is honest: nothing frees before the first grant leaves the span
     * (300 s + a 2 s lease), and something does within one slot after */
    double frees = now + g.retry_s * 1000.0;
    CHECK(frees >= T0 + 302000 && frees <= T0 + 302000 + s.windows[0].slot_ms + 1000);
    CHECK_INT(ask(&s, &other, &rule, frees - 1000 - s.windows[0].slot_ms).granted, 0);
    CHECK_INT(ask(&s, &other, &rule, frees).granted > 0, 1);
}

static void the_burst_rule_holds_too(void) {
    budget_state s = {0};
    budget_lease l = {0};
    budget_rule rule = {100000, 3600};
    uint32_t total = 0;
    for (int i = 0; i < 400; i++) {
        budget_lease fresh = {0};
        total += ask(&s, &fresh, &rule, T0 + i).granted;
    }
    CHECK_INT(total, BUDGET_BURST_CALLS);
    budget_grant g = ask(&s, &l, &rule, T0 + 500);
    CHECK_INT(g.granted, 0);
    CHECK(g.retry_s >= 10 && g.retry_s <= 12);
}

static void a_close_refuses_until_it_ends(void) {
    budget_state s = {0};
    budget_lease l = {0};
    budget_rule rule = {20, 5};
    budget_msg m;
    budget_grant g;
    CHECK_INT(ask(&s, &l, &rule, T0).granted, 1);
    budget_lease_close(&l, &rule, T0 + 10, 7, &m);
    budget_apply(&s, &m, T0 + 10, &g);
    CHECK_INT(g.granted, 0);
    CHECK_INT(g.retry_s, 7);
    uint32_t retry = 0;
    CHECK_INT(budget_lease_take(&l, &rule, T0 + 20, &retry), BUDGET_WAIT); /* the lease closed at once */
    CHECK_INT(retry, 7);
    budget_lease other = {0};
    g = ask(&s, &other, &rule, T0 + 6000);
    CHECK_INT(g.granted, 0);
    CHECK_INT(g.retry_s, 2);
    CHECK_INT(ask(&s, &other, &rule, T0 + 7010).granted, 1);
    CHECK_INT(s.upstream_429s, 1);
    /* no Retry-After: the API's own five minutes; an absurd one: an hour */
    budget_lease_close(&l, &rule, T0, 0, &m);
    CHECK_INT(m.retry_s, 300);
    budget_lease_close(&l, &rule, T0, 99999999, &m);
    CHECK_INT(m.retry_s, 3600);
}

static void ratelimit_readings_cap_the_grants(void) {
    budget_state s = {0};
    budget_lease l = {0};
    budget_rule rule = {1000, 300};
    uint32_t retry = 0;
    CHECK_INT(ask(&s, &l, &rule, T0).granted, 10);
    budget_lease_observe(&l, 3, 40, T0 + 1000); /* RealtimeKit: 3 calls left, reset in 40 s */
    budget_lease_take(&l, &rule, T0 + 5000, &retry); /* expired: ask again */
    budget_grant g = ask(&s, &l, &rule, T0 + 5000);
    CHECK_INT(g.granted, 1);
    CHECK_INT(ask(&s, &l, &rule, T0 + 5001).granted, 1);
    CHECK_INT(ask(&s, &l, &rule, T0 + 5002).granted, 1);
    g = ask(&s, &l, &rule, T0 + 5003);
    CHECK_INT(g.granted, 0);
    CHECK_INT(g.retry_s, 36); /* read at T0 + 1 s: resets at T0 + 41 s */
    CHECK_INT(ask(&s, &l, &rule, T0 + 41100).granted > 0, 1);
    /* a reading older than its reset says nothing */
    budget_state fresh = {0};
    budget_lease_observe(&l, 0, 5, T0);
    l.expires_ms = 0;
    CHECK_INT(ask(&fresh, &l, &rule, T0 + 6000).granted, 10);
}

static void expired_leases_hand_back_what_they_did_not_use(void) {
    budget_state s = {0};
    budget_lease l = {0};
    budget_rule rule = {1000, 300};
    uint32_t retry = 0;
    budget_grant g = ask(&s, &l, &rule, T0);
    CHECK_INT(g.granted, 10);
    CHECK_INT(l.left, 9);
    CHECK_INT(budget_lease_take(&l, &rule, T0 + 100, &retry), BUDGET_TAKEN);
    CHECK_INT(budget_lease_take(&l, &rule, T0 + 1500, &retry), BUDGET_ASK); /* 3/4 of 2 s passed */
    budget_msg m;
    budget_lease_request(&l, &rule, T0 + 1500, &m);
    CHECK_INT(m.returned, 8);
    budget_apply(&s, &m, T0 + 1500, &g);
    CHECK_INT(s.windows[0].count[(int64_t)(T0 / s.windows[0].slot_ms) % BUDGET_SLOTS], 12); /* 10 - 8 + 10 */
}

/* ---- the bound, across many isolates ------------------------------------ */

/* 40 isolates, each serving requests as they come (some busy, most quiet),
 * their clocks up to a quarter lease apart, share one object; every call
 * they make is recorded at the time it would reach RealtimeKit. No span of
 * rule.seconds may hold more than rule.calls calls, nor any 10 s more than
 * 250, and the budget must not be wasted: at least 90 % of what the rule
 * allows over the run is used. */
#define ISOLATES 40
#define MAX_CALLS 20000

static uint32_t rng = 1;
static uint32_t next_rand(void) { return rng = rng * 1103515245u + 12345u; }

static long most_in_any(const double *calls, int n, double span_ms) {
    long most = 0;
    for (int i = 0, j = 0; i < n; i++) { /* calls[] is in time order */
        while (calls[i] - calls[j] >= span_ms) j++;
        if (i - j + 1 > most) most = i - j + 1;
    }
    return most;
}

static void simulate(const budget_rule *rule, double run_ms, long *most, long *most_burst, int *made) {
    static double calls[MAX_CALLS];
    budget_state s = {0};
    budget_lease leases[ISOLATES] = {{0}};
    double skew[ISOLATES];
    double lease_ms = budget_lease_ms(rule);
    for (int i = 0; i < ISOLATES; i++) skew[i] = ((double)(next_rand() % 1000) / 1000.0 - 0.5) * lease_ms / 4;
    int n = 0;
    for (double now = T0; now < T0 + run_ms && n < MAX_CALLS; now += 7) { /* a request every 7 ms somewhere */
        int who = (int)(next_rand() % 100);
        who = who < 60 ? who % 4 : 4 + who % (ISOLATES - 4); /* 4 busy isolates take 60 % */
        double local = now + skew[who];
        uint32_t retry = 0;
        int got = budget_lease_take(&leases[who], rule, local, &retry);
        if (got == BUDGET_ASK) {
            budget_msg m;
            budget_grant g;
            budget_lease_request(&leases[who], rule, local, &m);
            budget_apply(&s, &m, now + 30, &g); /* 30 ms to the object */
            got = budget_lease_grant(&leases[who], rule, local, local + 60, &g, &retry);
            now += 0; /* the answer arrives 60 ms after the ask */
        }
        if (got == BUDGET_TAKEN) calls[n++] = now + 60 + 20; /* reaches RealtimeKit 20 ms later */
    }
    *most = most_in_any(calls, n, rule->seconds * 1000.0);
    *most_burst = most_in_any(calls, n, BUDGET_BURST_SECONDS * 1000.0);
    *made = n;
}

static void many_isolates_never_exceed_the_rules(void) {
    const budget_rule rules[] = {{1000, 300}, {300, 60}, {25, 10}, {20, 5}};
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        long most = 0, burst = 0;
        int made = 0;
        double run_ms = rules[i].seconds * 3000.0;
        simulate(&rules[i], run_ms, &most, &burst, &made);
        CHECK(most <= (long)rules[i].calls);
        CHECK(burst <= BUDGET_BURST_CALLS);
        /* three spans' worth, each lasting a span plus a lease, minus what leases waste */
        CHECK(made >= (int)(rules[i].calls * 3 * 0.75));
    }
}

/* ---- a request's permit (permit.c through the fake host) ---------------- */

static const char *reply_body = "{\"success\":true,\"data\":{\"id\":\"" MEETING "\"}}";
static int upstream_status = 201;
static const char *upstream_headers = NULL;

static fake_reply upstream(const fake_sent *sent, int index) {
    (void)sent;
    (void)index;
    return (fake_reply){0, upstream_status, upstream_headers, reply_body};
}

static const fake_response *session(void) {
    fake_reset();
    fake_config_complete();
    fake_config("REALTIMEKIT_BUDGET", "20/5");
    fake_upstream(upstream);
    fake_request("POST", "/api/video-call/session");
    fake_request_body("{}", 2);
    return fake_run();
}

static void without_the_binding_nothing_changes(void) {
    fake_isolate_reset(-1);
    upstream_status = 201;
    upstream_headers = NULL;
    for (int i = 0; i < 30; i++) CHECK_INT(session()->status, 200);
    CHECK_INT(fake_budget_messages(), 0);
}

static void permits_come_from_the_lease(void) {
    fake_isolate_reset(0);
    upstream_status = 201;
    upstream_headers = NULL;
    /* 20/5: a sixteenth of 20 is 1, so each call asks */
    CHECK_INT(session()->status, 200);
    CHECK_INT(fake_waits(), 3); /* body, permit, call */
    CHECK_INT(fake_budget_messages(), 1);
    CHECK_INT(fake_budget_last()->op, BUDGET_LEASE);
    for (int i = 1; i < 20; i++) CHECK_INT(session()->status, 200);
    const fake_response *r = session();
    CHECK_INT(r->status, 429);
    CHECK_INT(fake_sent_count(), 0);
    CHECK_STR(r->body, "{\"error\":\"The service has used its RealtimeKit call budget; try again later\",\"code\":\"RATE_LIMITED\"}");
    CHECK_STR(fake_response_header("Retry-After"), "6"); /* 5 s + a 250 ms lease, rounded up */
    CHECK(strstr(fake_log_at(0), "\"event\":\"budget_exhausted\"") != NULL);
    int asked = fake_budget_messages();
    CHECK_INT(session()->status, 429); /* the isolate remembers: no second question */
    CHECK_INT(fake_budget_messages(), asked);
    fake_clock_advance(6000);
    CHECK_INT(session()->status, 200);
}

static void a_large_budget_leases_blocks(void) {
    fake_isolate_reset(0);
    upstream_status = 201;
    upstream_headers = NULL;
    fake_reset();
    for (int i = 0; i < 10; i++) {
        fake_reset();
        fake_config_complete();
        fake_upstream(upstream);
        fake_request("POST", "/api/video-call/session");
        fake_request_body("{}", 2);
        CHECK_INT(fake_run()->status, 200);
        CHECK_INT(fake_waits(), i == 0 ? 3 : 2); /* only the first asks the object */
    }
    CHECK_INT(fake_budget_messages(), 1);
}

static void an_upstream_429_closes_the_budget(void) {
    fake_isolate_reset(0);
    upstream_status = 429;
    upstream_headers = "Retry-After: 9\n";
    const fake_response *r = session();
    CHECK_INT(r->status, 500); /* this call reached RealtimeKit */
    CHECK_STR(fake_response_header("Retry-After"), "9");
    CHECK_INT(fake_budget_last()->op, BUDGET_CLOSE);
    CHECK_INT(fake_budget_last()->retry_s, 9);
    upstream_status = 201;
    upstream_headers = NULL;
    r = session();
    CHECK_INT(r->status, 429);
    CHECK_INT(fake_sent_count(), 0);
    CHECK_STR(fake_response_header("Retry-After"), "9");
    fake_isolate_reset(0); /* another isolate: the object refuses it too */
    *fake_budget_object() = (budget_state){0};
}

static void ratelimit_readings_travel_with_the_next_lease(void) {
    fake_isolate_reset(0);
    upstream_status = 201;
    upstream_headers = "Ratelimit: \"default\";r=2;t=30\n";
    CHECK_INT(session()->status, 200);
    CHECK_INT(fake_budget_last()->seen, 0);
    upstream_headers = NULL;
    CHECK_INT(session()->status, 200);
    CHECK_INT(fake_budget_last()->seen, 1);
    CHECK_INT(fake_budget_last()->seen_left, 2);
    CHECK_INT(session()->status, 200);
    CHECK_INT(session()->status, 429); /* r=2, less one granted since: one more, then none */
    CHECK_STR(fake_response_header("Retry-After"), "30");
}

static void a_failing_object_lets_calls_through(void) {
    fake_isolate_reset(1);
    upstream_status = 201;
    upstream_headers = NULL;
    CHECK_INT(session()->status, 200);
    CHECK_INT(fake_sent_count(), 1);
    CHECK(strstr(fake_log_at(0), "\"event\":\"budget_unavailable\"") != NULL);
}

static void a_malformed_budget_is_a_config_error(void) {
    fake_isolate_reset(0);
    fake_reset();
    fake_config_complete();
    fake_config("REALTIMEKIT_BUDGET", "lots");
    fake_upstream(upstream);
    fake_request("POST", "/api/video-call/session");
    fake_request_body("{}", 2);
    CHECK_INT(fake_run()->status, 500);
    CHECK(strstr(fake_log_at(0), "\"setting\":\"REALTIMEKIT_BUDGET\"") != NULL);
    CHECK_INT(fake_budget_messages(), 0);
    fake_isolate_reset(-1);
}

int main(void) {
    static const check_case cases[] = {
        CASE(rules_parse),
        CASE(ratelimit_headers_parse),
        CASE(blocks_shrink_near_the_limit),
        CASE(the_burst_rule_holds_too),
        CASE(a_close_refuses_until_it_ends),
        CASE(ratelimit_readings_cap_the_grants),
        CASE(expired_leases_hand_back_what_they_did_not_use),
        CASE(many_isolates_never_exceed_the_rules),
        CASE(without_the_binding_nothing_changes),
        CASE(permits_come_from_the_lease),
        CASE(a_large_budget_leases_blocks),
        CASE(an_upstream_429_closes_the_budget),
        CASE(ratelimit_readings_travel_with_the_next_lease),
        CASE(a_failing_object_lets_calls_through),
        CASE(a_malformed_budget_is_a_config_error),
    };
    return RUN("native-budget", cases);
}
