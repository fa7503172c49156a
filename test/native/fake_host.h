/*
 * fake_host.h - the host functions of host.h, implemented natively for tests.
 *
 * A test describes the incoming request (its URL is https://worker.test +
 * path), the settings and how "upstream" answers, runs the C core's steps (vc_start, vc_resume), and inspects what it answered, what
 * it sent upstream and what it logged. fake_run() fails the test when the
 * request left an allocation (vc_alloc_live) or an upstream handle open.
 *
 * Ownership: all state is fixed-size static storage, reset by fake_reset();
 * strings passed in are copied; pointers handed out stay valid until the next
 * fake_reset().
 */
#ifndef VC_FAKE_HOST_H
#define VC_FAKE_HOST_H

#include <stddef.h>

#define FAKE_MAX_SENT 8
#define FAKE_MAX_LOGS 16

typedef struct fake_sent {
    char method[16];
    char url[1024];
    char headers[2048];
    char body[8192];
    size_t body_len;
    unsigned timeout_ms, max_body;
} fake_sent;

/* How upstream answers one request. error < 0: the call fails with it
 * (http_reply's status line is the error). Every reply takes 1 ms. */
typedef struct fake_reply {
    int error;
    int status;
    const char *headers; /* "Name: value\n" lines */
    const char *body;
} fake_reply;

typedef fake_reply (*fake_upstream_fn)(const fake_sent *sent, int index);

typedef struct fake_response {
    int responded; /* how many times respond() was called */
    int status;
    char headers[2048];
    char body[65536]; /* a response that does not fit fails the test */
    size_t body_len;
} fake_response;

void fake_reset(void);
void fake_request(const char *method, const char *path);
void fake_request_header(const char *name, const char *value);
/* The body the host reads, whole, when the C code asks for it. */
void fake_request_body(const char *body, size_t len);
/* Set (or replace) a setting; "" makes it empty. */
void fake_config(const char *name, const char *value);
/* The three required settings with fake values. */
void fake_config_complete(void);
void fake_upstream(fake_upstream_fn fn);
/* Install a RATE_LIMITER binding that answers 0 (allowed) or 1 (limited). */
void fake_rate_limiter(int answer);
/* hmac_sha256_start's operations fail (VC_E_HOST) when fails is 1; how many were started. */
void fake_hmac_fails(int fails);
int fake_hmac_calls(void);
/* Signature checks (signature_verify_*) follow a fake scheme: a signature
 * verifies when its first 32 bytes are fake_sign(jwk, signing input), so
 * tests sign tokens for a key without any real cryptography. answer != 0
 * makes every check answer it instead (1, 0 or a VC_E_* code). */
void fake_sign(const char *jwk, const void *data, size_t len, unsigned char out[32]);
void fake_verify_answer(int answer);
int fake_verify_calls(void);
const char *fake_verify_jwk(void); /* the key of the last check */
/* The key the last rate-limit question used ("" if none). */
const char *fake_rate_limit_key(void);

/* The isolate: its store (the budget's lease), the budget object and the
 * clock outlive fake_reset(); this resets them. budget: -1 no API_BUDGET
 * binding, 0 an object that answers (budget_apply, at once), 1 one that fails. */
void fake_isolate_reset(int budget);
/* The host clock moves 1 ms per reading; this moves it further. */
void fake_clock_advance(double ms);
/* Messages the budget object received, the last one, its state. */
int fake_budget_messages(void);
const struct budget_msg *fake_budget_last(void);
struct budget_state *fake_budget_object(void);

/* The settings set since fake_reset() are the same environment object as the
 * last fake_run()'s (config.c may reuse its parse). */
void fake_same_environment(void);
/* Settings read (config_get calls) during the last fake_run(). */
int fake_config_reads(void);

/* Run vc_start(), then vc_resume() until the task is answered, as the shim
 * does; check that every wait had something started, and that nothing is
 * left allocated or open. */
const fake_response *fake_run(void);

/* What the last respond() call delivered (for tests that call the
 * response builder directly). */
const fake_response *fake_last_response(void);

int fake_sent_count(void);
/* How many times the C code started reading the request body. */
int fake_body_reads(void);
/* How many times the last fake_run() waited on the host (vc_resume calls). */
int fake_waits(void);
const fake_sent *fake_sent_at(int i);
int fake_log_count(void);
const char *fake_log_at(int i);
/* 1 when any line logged since fake_reset() holds needle. */
int fake_log_contains(const char *needle);
/* The value of header `name` in the response (NULL if absent). */
const char *fake_response_header(const char *name);

#endif
