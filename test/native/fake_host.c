/* fake_host.c - see fake_host.h. */
#include "fake_host.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "budget.h"
#include "cJSON.h"
#include "check.h"
#include "exports.h"
#include "host.h"
#include "json_strict.h"
#include "vc_alloc.h"

#define MAX_PAIRS 32
#define VC_FAKE_VALUE_MAX 10240 /* a header or setting: room for the longest bearer token */
#define MAX_HANDLES 8
#define MAX_STEPS 8

enum { HANDLE_BODY = 1, HANDLE_HTTP, HANDLE_RATE_LIMIT, HANDLE_BUDGET, HANDLE_HMAC, HANDLE_VERIFY };

typedef struct pair {
    char name[64];
    char value[VC_FAKE_VALUE_MAX];
} pair;

static struct {
    char method[64], path[4096];
    pair headers[MAX_PAIRS];
    int header_count;
    pair config[MAX_PAIRS];
    int config_count;
    const char *body;
    size_t body_len;
    int body_started;
    fake_upstream_fn upstream;
    fake_sent sent[FAKE_MAX_SENT];
    int sent_count;
    struct {
        int open, kind, status;
        int ms; /* HANDLE_HTTP: the reply's time */
        char headers[1024];
        const char *body;
        size_t body_len;
        unsigned char mac[32]; /* HANDLE_HMAC: the MAC */
    } handles[MAX_HANDLES];
    int started; /* operations started since the last step */
    int steps;
    char logs[FAKE_MAX_LOGS][1024];
    int log_count;
    fake_response response;
    char header_value[1024];
    int rate_limit; /* what the RATE_LIMITER binding answers; -1: no binding */
    int hmac_fails; /* hmac_sha256 answers VC_E_HOST */
    int hmac_calls;
    int verify_calls;
    int verify_answer; /* when not 0: what every signature check answers */
    char verify_jwk[1024]; /* the key of the last signature check */
    char rate_limit_key[512];
} fake;

static void copy(char *dst, size_t cap, const void *src, size_t len) {
    if (len >= cap) len = cap - 1;
    if (len) memcpy(dst, src, len);
    dst[len] = '\0';
}

/* snprintf-shaped copy-out used by every getter */
static int32_t put(const char *value, size_t len, uint8_t *buf, uint32_t cap) {
    if (len <= cap && len) memcpy(buf, value, len);
    return (int32_t)len;
}

/* Which settings are in force (config_epoch): bumped by every change. */
static int32_t config_epoch, last_run_epoch;
static int config_reads;

void fake_reset(void) {
    memset(&fake, 0, sizeof fake);
    config_epoch++;
    fake.rate_limit = -1;
}
void fake_rate_limiter(int answer) { fake.rate_limit = answer; }
const char *fake_rate_limit_key(void) { return fake.rate_limit_key; }

/* What outlives a request: the isolate's store, the budget object, the clock. */
#define MAX_STORE 8
static struct {
    struct {
        char key[1024];
        unsigned char value[16384];
        size_t len;
    } store[MAX_STORE];
    int store_count;
    int budget;           /* -1: no binding, 0: the object answers, 1: it fails */
    budget_state object;
    budget_msg last_msg;
    int messages;
    budget_grant answers[MAX_HANDLES];
    double clock;
} isolate = {.budget = -1, .clock = 1700000000000.0};

void fake_isolate_reset(int budget) {
    memset(&isolate, 0, sizeof isolate);
    isolate.budget = budget;
    isolate.clock = 1700000000000.0;
}
void fake_clock_advance(double ms) { isolate.clock += ms; }
int fake_budget_messages(void) { return isolate.messages; }
const budget_msg *fake_budget_last(void) { return &isolate.last_msg; }
budget_state *fake_budget_object(void) { return &isolate.object; }

void fake_request(const char *method, const char *path) {
    copy(fake.method, sizeof fake.method, method, strlen(method));
    copy(fake.path, sizeof fake.path, path, strlen(path));
}
void fake_request_header(const char *name, const char *value) {
    pair *p = &fake.headers[fake.header_count++];
    copy(p->name, sizeof p->name, name, strlen(name));
    copy(p->value, sizeof p->value, value, strlen(value));
}
void fake_request_body(const char *body, size_t len) {
    fake.body = body;
    fake.body_len = len;
}
void fake_config(const char *name, const char *value) {
    config_epoch++;
    pair *p = NULL;
    for (int i = 0; i < fake.config_count && !p; i++)
        if (strcmp(fake.config[i].name, name) == 0) p = &fake.config[i];
    if (!p) p = &fake.config[fake.config_count++];
    copy(p->name, sizeof p->name, name, strlen(name));
    copy(p->value, sizeof p->value, value, strlen(value));
}
void fake_config_complete(void) {
    fake_config("CLOUDFLARE_ACCOUNT_ID", "0123456789abcdef0123456789abcdef");
    fake_config("CLOUDFLARE_REALTIME_APP_ID", "11111111-2222-4333-8444-555555555555");
    fake_config("CLOUDFLARE_REALTIME_API_TOKEN", "fake-api-token-do-not-leak");
}
void fake_upstream(fake_upstream_fn fn) { fake.upstream = fn; }

void fake_same_environment(void) { config_epoch = last_run_epoch; }
int fake_config_reads(void) { return config_reads; }

const fake_response *fake_run(void) {
    long before = vc_alloc_live();
    last_run_epoch = config_epoch;
    config_reads = 0;
    fake.started = 0;
    vc_task_handle task = vc_start();
    /* The host's loop: settle what was started (the fake did so at once),
     * then resume. A task that waits on nothing would hang a real host. */
    while (task != 0) {
        if (fake.started == 0) check_fail(__FILE__, __LINE__, "the C code waits on nothing");
        if (++fake.steps > MAX_STEPS) check_fail(__FILE__, __LINE__, "more than %d steps", MAX_STEPS);
        if (fake.response.responded) check_fail(__FILE__, __LINE__, "answered, then asked to wait");
        fake.started = 0;
        task = vc_resume(task);
    }
    CHECK_INT(vc_alloc_live(), before);
    for (int i = 0; i < MAX_HANDLES; i++)
        if (fake.handles[i].open) check_fail(__FILE__, __LINE__, "upstream handle %d left open", i + 1);
    CHECK_INT(fake.response.responded, 1);
    return &fake.response;
}

const fake_response *fake_last_response(void) { return &fake.response; }

int fake_sent_count(void) { return fake.sent_count; }
int fake_body_reads(void) { return fake.body_started; }
int fake_waits(void) { return fake.steps; }
const fake_sent *fake_sent_at(int i) { return i < fake.sent_count ? &fake.sent[i] : NULL; }
int fake_log_count(void) { return fake.log_count; }
const char *fake_log_at(int i) { return i < fake.log_count ? fake.logs[i] : NULL; }

/* Find header `name` in "Name: value\n" lines; copies the value out. */
static const char *find_header(const char *lines, const char *name, char *out, size_t cap) {
    size_t name_len = strlen(name);
    for (const char *line = lines; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > name_len + 1 && strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
            copy(out, cap, line + name_len + 2, len - name_len - 2);
            return out;
        }
        line += len + (end ? 1 : 0);
    }
    return NULL;
}

int fake_log_contains(const char *needle) {
    for (int i = 0; i < fake_log_count(); i++)
        if (strstr(fake_log_at(i), needle)) return 1;
    return 0;
}

const char *fake_response_header(const char *name) {
    return find_header(fake.response.headers, name, fake.header_value, sizeof fake.header_value);
}

/* A settled operation (the fake answers at once; the C code still reads the
 * result only in its next step). body: body_len bytes for a request body,
 * else a C string. */
static int32_t open_handle(int kind, int status, const char *headers, const char *body, uint32_t *handle_out) {
    for (int h = 0; h < MAX_HANDLES; h++) {
        if (fake.handles[h].open) continue;
        fake.handles[h].open = 1;
        fake.handles[h].kind = kind;
        fake.handles[h].status = status;
        copy(fake.handles[h].headers, sizeof fake.handles[h].headers, headers ? headers : "", headers ? strlen(headers) : 0);
        fake.handles[h].body = body ? body : "";
        fake.handles[h].body_len = kind == HANDLE_BODY ? fake.body_len : strlen(fake.handles[h].body);
        fake.started++;
        *handle_out = (uint32_t)h + 1;
        return VC_OK;
    }
    return VC_E_HOST;
}

/* ---- the raw imports ---------------------------------------------------- */

int32_t vc_raw_request_head(const uint8_t *names, uint32_t names_len, uint8_t *buf, uint32_t cap) {
    static char head[sizeof fake.path + sizeof fake.method + 64 + MAX_PAIRS * 1100];
    char name[64];
    size_t len = (size_t)snprintf(head, sizeof head, "%d\n%s\nhttps://worker.test%s\n", (int)config_epoch, fake.method,
                                  fake.path);
    for (const uint8_t *p = names, *end = names + names_len; p < end;) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        copy(name, sizeof name, p, n);
        const char *value = NULL;
        for (int i = 0; i < fake.header_count && !value; i++)
            if (strcasecmp(fake.headers[i].name, name) == 0) value = fake.headers[i].value;
        len += (size_t)snprintf(head + len, sizeof head - len, value ? "+%s\n" : "-\n", value ? value : "");
        p += n + 1;
    }
    return put(head, len, buf, cap);
}

int32_t vc_raw_rate_limit_start(const uint8_t *name, uint32_t name_len, const uint8_t *key, uint32_t key_len,
                                uint32_t *handle_out) {
    if (fake.rate_limit < 0 || name_len != strlen("RATE_LIMITER") || memcmp(name, "RATE_LIMITER", name_len) != 0)
        return VC_E_NOTFOUND;
    copy(fake.rate_limit_key, sizeof fake.rate_limit_key, key, key_len);
    return open_handle(HANDLE_RATE_LIMIT, fake.rate_limit, NULL, NULL, handle_out);
}

int32_t vc_raw_request_header(const uint8_t *name, uint32_t name_len, uint8_t *buf, uint32_t cap) {
    for (int i = 0; i < fake.header_count; i++)
        if (strlen(fake.headers[i].name) == name_len && strncasecmp(fake.headers[i].name, (const char *)name, name_len) == 0)
            return put(fake.headers[i].value, strlen(fake.headers[i].value), buf, cap);
    return VC_E_NOTFOUND;
}

int32_t vc_raw_request_body_start(uint32_t max_body, uint32_t *handle_out) {
    fake.body_started++;
    int status = fake.body_len > max_body ? VC_E_TOOBIG : VC_OK; /* the host stops reading past max_body */
    return open_handle(HANDLE_BODY, status, NULL, fake.body ? fake.body : "", handle_out);
}

/* The headers the core hands the host (a JSON object of strings, each name
 * once, as the shim requires) into "Name: value\n" lines, which the tests
 * read. What the shim would refuse fails the test. */
static void header_lines(char *dst, size_t cap, const uint8_t *json, uint32_t len) {
    cJSON *root = cJSON_ParseWithLength((const char *)json, len);
    size_t at = 0;
    dst[0] = '\0';
    if (!cJSON_IsObject(root) || json_repeats_key(root)) {
        check_fail(__FILE__, __LINE__, "headers are not a JSON object with each name once: %.*s", (int)len, (const char *)json);
    } else {
        for (const cJSON *h = root->child; h; h = h->next) {
            if (!cJSON_IsString(h) || strchr(h->string, ':') || strpbrk(h->valuestring, "\r\n")) {
                check_fail(__FILE__, __LINE__, "a header the runtime would refuse: %s", h->string);
                break;
            }
            int n = snprintf(dst + at, cap - at, "%s: %s\n", h->string, h->valuestring);
            if (n < 0 || (size_t)n >= cap - at) {
                check_fail(__FILE__, __LINE__, "headers too large for the fake host");
                break;
            }
            at += (size_t)n;
        }
    }
    cJSON_Delete(root);
}

int32_t vc_raw_respond(uint32_t status, const uint8_t *headers, uint32_t headers_len, const uint8_t *body,
                       uint32_t body_len) {
    fake_response *r = &fake.response;
    r->responded++;
    r->status = (int)status;
    if (headers_len >= sizeof r->headers || body_len >= sizeof r->body)
        check_fail(__FILE__, __LINE__, "response too large for the fake host (%u header bytes, %u body bytes)",
                   headers_len, body_len);
    header_lines(r->headers, sizeof r->headers, headers, headers_len);
    copy(r->body, sizeof r->body, body, body_len);
    r->body_len = body_len;
    return VC_OK;
}

/* head: "METHOD\nURL\n{headers}" (host.h); what the shim would refuse fails the test. */
int32_t vc_raw_http_start(const uint8_t *head, uint32_t head_len, const uint8_t *body, uint32_t body_len,
                          uint32_t timeout_ms, uint32_t max_body, uint32_t *handle_out) {
    if (fake.sent_count == FAKE_MAX_SENT) return VC_E_HOST;
    const uint8_t *end = head + head_len;
    const uint8_t *url = memchr(head, '\n', head_len);
    const uint8_t *headers = url ? memchr(url + 1, '\n', (size_t)(end - url - 1)) : NULL;
    if (!headers) {
        check_fail(__FILE__, __LINE__, "http_start's head has no method and URL lines: %.*s", (int)head_len, head);
        return VC_E_INVALID;
    }
    url++;
    headers++;
    int index = fake.sent_count++;
    fake_sent *s = &fake.sent[index];
    copy(s->method, sizeof s->method, head, (size_t)(url - 1 - head));
    copy(s->url, sizeof s->url, url, (size_t)(headers - 1 - url));
    header_lines(s->headers, sizeof s->headers, headers, (uint32_t)(end - headers));
    copy(s->body, sizeof s->body, body, body_len);
    s->body_len = body_len;
    s->timeout_ms = timeout_ms;
    s->max_body = max_body;
    fake_reply reply = fake.upstream ? fake.upstream(s, index) : (fake_reply){.error = VC_E_NETWORK};
    int status = reply.error < 0 ? reply.error : reply.status;
    if (reply.error >= 0 && reply.body && strlen(reply.body) > max_body) status = VC_E_TOOBIG;
    int rc = open_handle(HANDLE_HTTP, status, status < 0 ? NULL : reply.headers, status < 0 ? NULL : reply.body,
                         handle_out);
    if (rc == VC_OK) fake.handles[*handle_out - 1].ms = 1;
    return rc;
}

static int valid_handle(uint32_t handle, int kind) {
    return handle >= 1 && handle <= MAX_HANDLES && fake.handles[handle - 1].open && fake.handles[handle - 1].kind == kind;
}

/* Taking a settled result whole releases its handle (host.h): n is what the
 * call answers, fit whether the result fit the caller's buffer. */
static int32_t taken(uint32_t handle, int32_t n, int fit) {
    if (n < 0 || fit) fake.handles[handle - 1].open = 0;
    return n;
}

/* "STATUS\nMS\n", "+value\n" or "-\n" per name, the body. */
int32_t vc_raw_http_reply(uint32_t handle, const uint8_t *names, uint32_t names_len, uint8_t *buf, uint32_t cap) {
    if (!valid_handle(handle, HANDLE_HTTP)) return VC_E_BADHANDLE;
    static char block[sizeof fake.handles[0].headers + 70000];
    char want[64], value[1024];
    size_t len = (size_t)snprintf(block, sizeof block, "%d\n%d\n", fake.handles[handle - 1].status, fake.handles[handle - 1].ms);
    for (const uint8_t *p = names, *end = names + names_len; p < end;) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        copy(want, sizeof want, p, n);
        const char *found = find_header(fake.handles[handle - 1].headers, want, value, sizeof value);
        len += (size_t)snprintf(block + len, sizeof block - len, found ? "+%s\n" : "-\n", found ? value : "");
        p += n + 1;
    }
    size_t body_len = fake.handles[handle - 1].body_len;
    if (len + body_len > sizeof block) check_fail(__FILE__, __LINE__, "reply too large for the fake host");
    memcpy(block + len, fake.handles[handle - 1].body, body_len);
    len += body_len;
    return taken(handle, put(block, len, buf, cap), len <= cap);
}

int32_t vc_raw_request_body(uint32_t handle, uint8_t *buf, uint32_t cap) {
    if (!valid_handle(handle, HANDLE_BODY)) return VC_E_BADHANDLE;
    if (fake.handles[handle - 1].status < 0) return taken(handle, fake.handles[handle - 1].status, 1);
    size_t len = fake.handles[handle - 1].body_len;
    return taken(handle, put(fake.handles[handle - 1].body, len, buf, cap), len <= cap);
}

int32_t vc_raw_rate_limit_result(uint32_t handle) {
    return valid_handle(handle, HANDLE_RATE_LIMIT) ? taken(handle, fake.handles[handle - 1].status, 1) : VC_E_BADHANDLE;
}

int32_t vc_raw_store_get(const uint8_t *key, uint32_t key_len, uint8_t *buf, uint32_t cap) {
    for (int i = 0; i < isolate.store_count; i++)
        if (strlen(isolate.store[i].key) == key_len && memcmp(isolate.store[i].key, key, key_len) == 0) {
            if (isolate.store[i].len <= cap && isolate.store[i].len) memcpy(buf, isolate.store[i].value, isolate.store[i].len);
            return (int32_t)isolate.store[i].len;
        }
    return VC_E_NOTFOUND;
}

int32_t vc_raw_store_put(const uint8_t *key, uint32_t key_len, const uint8_t *value, uint32_t len) {
    int i = 0;
    while (i < isolate.store_count &&
           !(strlen(isolate.store[i].key) == key_len && memcmp(isolate.store[i].key, key, key_len) == 0))
        i++;
    if (i == MAX_STORE || len > sizeof isolate.store[0].value || key_len >= sizeof isolate.store[0].key) return VC_E_TOOBIG;
    if (i == isolate.store_count) isolate.store_count++;
    copy(isolate.store[i].key, sizeof isolate.store[i].key, key, key_len);
    memcpy(isolate.store[i].value, value, len);
    isolate.store[i].len = len;
    return VC_OK;
}

/* The object answers at once, on the same clock (budget_apply is what
 * vc_budget_serve runs). */
int32_t vc_raw_budget_start(const uint8_t *binding, uint32_t binding_len, const uint8_t *name, uint32_t name_len,
                            const uint8_t *msg, uint32_t msg_len, uint32_t *handle_out) {
    (void)name;
    (void)name_len;
    if (isolate.budget < 0 || binding_len != strlen("API_BUDGET") || memcmp(binding, "API_BUDGET", binding_len) != 0)
        return VC_E_NOTFOUND;
    if (!handle_out) return VC_OK;
    if (msg_len != sizeof(budget_msg)) check_fail(__FILE__, __LINE__, "budget message of %u bytes", msg_len);
    memcpy(&isolate.last_msg, msg, sizeof isolate.last_msg);
    isolate.messages++;
    int32_t rc = open_handle(HANDLE_BUDGET, isolate.budget ? VC_E_HOST : VC_OK, NULL, NULL, handle_out);
    if (rc == VC_OK && !isolate.budget)
        budget_apply(&isolate.object, &isolate.last_msg, isolate.clock, &isolate.answers[*handle_out - 1]);
    return rc;
}

int32_t vc_raw_budget_answer(uint32_t handle, uint8_t *buf, uint32_t cap) {
    if (!valid_handle(handle, HANDLE_BUDGET)) return VC_E_BADHANDLE;
    if (fake.handles[handle - 1].status < 0) return taken(handle, fake.handles[handle - 1].status, 1);
    return taken(handle, put((const char *)&isolate.answers[handle - 1], sizeof(budget_grant), buf, cap),
                 sizeof(budget_grant) <= cap);
}

/* HMAC-SHA-256 from OpenSSL's libcrypto: a vetted implementation, as Web Crypto is in the Worker. */
int32_t vc_raw_hmac_sha256_start(const uint8_t *key, uint32_t key_len, const uint8_t *msg, uint32_t msg_len,
                                 uint32_t *handle_out) {
    if (key_len == 0) return VC_E_INVALID;
    fake.hmac_calls++;
    int32_t rc = open_handle(HANDLE_HMAC, fake.hmac_fails ? VC_E_HOST : VC_OK, NULL, NULL, handle_out);
    unsigned int len = 0;
    if (rc == VC_OK && !HMAC(EVP_sha256(), key, (int)key_len, msg, msg_len, fake.handles[*handle_out - 1].mac, &len))
        fake.handles[*handle_out - 1].status = VC_E_HOST;
    return rc;
}

int32_t vc_raw_hmac_sha256_result(uint32_t handle, uint8_t *buf, uint32_t cap) {
    if (!valid_handle(handle, HANDLE_HMAC)) return VC_E_BADHANDLE;
    if (fake.handles[handle - 1].status < 0) return taken(handle, fake.handles[handle - 1].status, 1);
    return taken(handle, put((const char *)fake.handles[handle - 1].mac, sizeof fake.handles[handle - 1].mac, buf, cap),
                 sizeof fake.handles[handle - 1].mac <= cap);
}

/* The fake signature scheme (fake_host.h): the first 32 bytes of the
 * signature are SHA-256(jwk || data). */
void fake_sign(const char *jwk, const void *data, size_t len, unsigned char out[32]) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int n = 0;
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    EVP_DigestUpdate(ctx, jwk, strlen(jwk));
    EVP_DigestUpdate(ctx, data, len);
    EVP_DigestFinal_ex(ctx, out, &n);
    EVP_MD_CTX_free(ctx);
}

int32_t vc_raw_signature_verify_start(uint32_t alg, const uint8_t *jwk, uint32_t jwk_len, const uint8_t *data,
                                      uint32_t data_len, const uint8_t *sig, uint32_t sig_len, uint32_t *handle_out) {
    char key[1024];
    unsigned char want[32];
    if (alg != VC_SIG_RS256 && alg != VC_SIG_ES256) return VC_E_INVALID;
    fake.verify_calls++;
    copy(key, sizeof key, jwk, jwk_len);
    copy(fake.verify_jwk, sizeof fake.verify_jwk, jwk, jwk_len);
    fake_sign(key, data, data_len, want);
    int answer = fake.verify_answer ? fake.verify_answer : sig_len >= 32 && memcmp(sig, want, 32) == 0;
    return open_handle(HANDLE_VERIFY, answer, NULL, NULL, handle_out);
}

int32_t vc_raw_signature_verify_result(uint32_t handle) {
    if (!valid_handle(handle, HANDLE_VERIFY)) return VC_E_BADHANDLE;
    return taken(handle, fake.handles[handle - 1].status, 1);
}

void fake_verify_answer(int answer) { fake.verify_answer = answer; }
int fake_verify_calls(void) { return fake.verify_calls; }
const char *fake_verify_jwk(void) { return fake.verify_jwk; }

void fake_hmac_fails(int fails) { fake.hmac_fails = fails; }
int fake_hmac_calls(void) { return fake.hmac_calls; }

/* Closing a handle that is not open (released by taking its result, or
 * closed already) is a crossing for nothing: it fails the test. */
int32_t vc_raw_handle_close(uint32_t handle) {
    if (handle < 1 || handle > MAX_HANDLES || !fake.handles[handle - 1].open) {
        check_fail(__FILE__, __LINE__, "handle_close(%u): not open", handle);
        return VC_E_BADHANDLE;
    }
    fake.handles[handle - 1].open = 0;
    return VC_OK;
}

int32_t vc_raw_config_get(const uint8_t *name, uint32_t name_len, uint8_t *buf, uint32_t cap) {
    config_reads++;
    for (int i = 0; i < fake.config_count; i++) {
        pair *p = &fake.config[i];
        if (strlen(p->name) == name_len && memcmp(p->name, name, name_len) == 0)
            return p->value[0] ? put(p->value, strlen(p->value), buf, cap) : VC_E_NOTFOUND;
    }
    return VC_E_NOTFOUND;
}

int32_t vc_raw_log_write(uint32_t level, const uint8_t *line, uint32_t len) {
    (void)level;
    if (fake.log_count < FAKE_MAX_LOGS) copy(fake.logs[fake.log_count++], sizeof fake.logs[0], line, len);
    return VC_OK;
}

int32_t vc_raw_random_fill(uint8_t *buf, uint32_t len) {
    static uint32_t state = 12345;
    for (uint32_t i = 0; i < len; i++) {
        state = state * 1103515245u + 12345u;
        buf[i] = (uint8_t)(state >> 16);
    }
    return VC_OK;
}

double vc_raw_clock_ms(void) { return isolate.clock += 1.0; }
