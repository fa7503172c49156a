/* auth.c - see auth.h. */
#include "auth.h"

#include <string.h>
#include <strings.h>

#include "api.h"
#include "cJSON.h"
#include "host.h"
#include "http_reply.h"
#include "json_strict.h"
#include "jwks.h"
#include "jwt.h"
#include "log.h"
#include "text.h"
#include "vc_alloc.h"

#define URL_MAX 256
#define DISCOVERY_PATH "/.well-known/openid-configuration"
#define ENTRY_HEAD_MAX (2 * URL_MAX + 64)

typedef struct auth_settings {
    int mode;                       /* AUTH_FOR_*; AUTH_FOR_NONE: sign-in is off */
    char issuer[URL_MAX], audience[URL_MAX], jwks_url[URL_MAX];
    char host_claim[128];           /* "" for none: the claim, then ... */
    char host_value[128];           /* ... the value it must hold */
} auth_settings;

/* The check's stages: each but the first resumes after a wait. */
enum { AS_KEYS = 0, AS_DISCOVERED, AS_FETCHED, AS_VERIFIED, AS_NAMED };

struct auth_state {
    int stage;
    uint32_t handle;                /* the operation waited on */
    auth_settings s;
    jwt_token jwt;
    cJSON *claims;                  /* owned */
    http_reply reply;               /* owned: the fetched document, while it is read */
    char url[URL_MAX];              /* the keys' URL */
    char token[VC_JWT_MAX + 8];     /* the header, then the token alone; wiped */
    char entry[ENTRY_HEAD_MAX + VC_JWKS_LIST_MAX]; /* the stored keys: see store_entry */
};

/* An https URL, or http to this machine (a local identity provider): no
 * space, control character or fragment. */
static int trusted_url(const char *u) {
    int local = strncmp(u, "http://127.0.0.1", 16) == 0 || strncmp(u, "http://localhost", 16) == 0;
    if (strncmp(u, "https://", 8) != 0 && !(local && strchr(":/", u[16]) && u[16])) return 0;
    for (const char *c = u; *c; c++)
        if ((unsigned char)*c <= 0x20 || *c == 0x7f || *c == '#') return 0;
    return 1;
}

/* One setting into buf: VC_OK ("" when unset) or VC_E_INVALID. */
static int setting(const char *name, char *buf, size_t cap) {
    int n = host_config_str(name, buf, cap);
    if (n == VC_E_NOTFOUND) return VC_OK;
    return n >= 0 && strlen(buf) == (size_t)n ? VC_OK : VC_E_INVALID;
}

static int load_settings(auth_settings *s, const char **bad) {
    char mode[16] = "";
    memset(s, 0, sizeof *s);
    static const char *const names[] = {VC_CFG_AUTH_ISSUER, VC_CFG_AUTH_AUDIENCE, VC_CFG_AUTH_JWKS_URL,
                                        VC_CFG_AUTH_REQUIRED_FOR, VC_CFG_AUTH_HOST_CLAIM};
    char *bufs[] = {s->issuer, s->audience, s->jwks_url, mode, s->host_claim};
    size_t caps[] = {sizeof s->issuer, sizeof s->audience, sizeof s->jwks_url, sizeof mode, sizeof s->host_claim};
    int any = 0;
    for (int i = 0; i < 5; i++) {
        *bad = names[i];
        if (setting(names[i], bufs[i], caps[i]) != VC_OK) return VC_E_INVALID;
        any |= bufs[i][0] != '\0';
    }
    if (!any) return VC_OK; /* off */
    /* Any AUTH_* setting asks for sign-in: without an issuer and an audience that is a mistake, not "off". */
    *bad = VC_CFG_AUTH_ISSUER;
    if (!trusted_url(s->issuer)) return s->issuer[0] ? VC_E_INVALID : VC_E_NOTFOUND;
    *bad = VC_CFG_AUTH_AUDIENCE;
    if (!s->audience[0]) return VC_E_NOTFOUND;
    *bad = VC_CFG_AUTH_JWKS_URL;
    if (s->jwks_url[0] && !trusted_url(s->jwks_url)) return VC_E_INVALID;
    *bad = VC_CFG_AUTH_REQUIRED_FOR;
    s->mode = !mode[0] || strcmp(mode, "post") == 0 ? AUTH_FOR_POST
              : strcmp(mode, "create") == 0          ? AUTH_FOR_CREATE
              : strcmp(mode, "all") == 0             ? AUTH_FOR_ALL
                                                     : AUTH_FOR_NONE;
    if (!s->mode) return VC_E_INVALID;
    *bad = VC_CFG_AUTH_HOST_CLAIM;
    char *eq = strrchr(s->host_claim, '=');
    if (s->host_claim[0] && (!eq || eq == s->host_claim || !eq[1])) return VC_E_INVALID;
    if (eq) {
        (void)TEXT_CONCAT(s->host_value, eq + 1);
        *eq = '\0';
    }
    *bad = NULL;
    return VC_OK;
}

/* The settings, parsed once per environment (as config.c does). */
static struct {
    int32_t epoch;
    int rc;
    const char *bad;
    auth_settings s;
} cached = {.epoch = -1};

static int settings(int32_t epoch, auth_settings *s, const char **bad) {
    if (epoch < 0 || epoch != cached.epoch) {
        cached.rc = load_settings(&cached.s, &cached.bad);
        cached.epoch = epoch;
    }
    *s = cached.s;
    *bad = cached.bad;
    return cached.rc;
}

/* 401: no token where one is needed (given 0), or one that does not pass. */
static int refuse(const vc_request *req, vc_problem *p, const char *reason, int given) {
    vc_log_fields f = VC_LOG_FIELDS("auth_refused");
    f.status = 401;
    f.reason = reason;
    log_event(req, VC_LOG_INFO, &f);
    const char *message = !given ? "Sign-in required" : strcmp(reason, "token has expired") == 0 ? "Token has expired"
                                                                                                  : "Invalid token";
    problem_set(p, 401, "UNAUTHORIZED", message, (const char *)0);
    p->challenge = given ? "Bearer error=\"invalid_token\"" : "Bearer";
    return VC_PROBLEM;
}

/* 503: the keys cannot be had now. */
static int unavailable(const vc_request *req, vc_problem *p, const char *reason, int upstream_status) {
    vc_log_fields f = VC_LOG_FIELDS("auth_unavailable");
    f.status = 503;
    f.reason = reason;
    f.upstream_status = upstream_status;
    log_event(req, VC_LOG_WARN, &f);
    problem_set(p, 503, "AUTH_UNAVAILABLE", "Sign-in cannot be checked right now; try again later", (const char *)0);
    memcpy(p->retry_after, AUTH_RETRY_AFTER, sizeof AUTH_RETRY_AFTER);
    return VC_PROBLEM;
}

void auth_free(auth_state *st) {
    if (!st) return;
    cJSON_Delete(st->claims);
    http_reply_free(&st->reply);
    if (st->handle) (void)host_handle_close(st->handle);
    vc_free_secret(st, sizeof *st);
}

int auth_begin(const vc_request *req, int level, auth_state **out, vc_problem *p) {
    auth_settings s;
    const char *bad = NULL;
    *out = NULL;
    int rc = settings(req->epoch, &s, &bad);
    if (rc != VC_OK) return api_config_problem(req, rc, bad, p);
    if (s.mode == AUTH_FOR_NONE || level == AUTH_FOR_NONE) return VC_OK;
    int len = host_request_header("Authorization", NULL, 0);
    if (len == VC_E_NOTFOUND) return level <= s.mode ? refuse(req, p, "no bearer token", 0) : VC_OK;
    if (len < 0) return len;
    if ((size_t)len >= sizeof((auth_state *)0)->token) return refuse(req, p, "token too long", 1);
    auth_state *st = vc_malloc(sizeof *st);
    if (!st) return VC_E_NOMEM;
    memset(st, 0, offsetof(auth_state, token));
    st->s = s;
    len = host_request_header_str("Authorization", st->token, sizeof st->token);
    const char *why = len < 7 || strncasecmp(st->token, "Bearer ", 7) != 0 ? "not a bearer token" : NULL;
    if (!why) {
        memmove(st->token, st->token + 7, (size_t)len - 6);
        why = jwt_read(st->token, (size_t)len - 7, &st->jwt, &st->claims);
    }
    if (why) {
        auth_free(st);
        return refuse(req, p, why, 1);
    }
    *out = st;
    return VC_OK;
}

static int fetch(auth_state *st, uint32_t timeout_ms, int stage) {
    char head[sizeof st->url + 48];
    int n = TEXT_CONCAT(head, "GET\n", st->url, "\n{\"Accept\":\"application/json\"}");
    host_http_request r = {head, n < 0 ? 0 : (size_t)n, NULL, 0, timeout_ms, VC_JWKS_MAX};
    st->stage = stage;
    int rc = n < 0 ? VC_E_TOOBIG : host_http_start(&r, &st->handle);
    return rc == VC_OK ? VC_PENDING : rc;
}

static int start_verify(auth_state *st, const char *jwk, size_t jwk_len) {
    st->stage = AS_VERIFIED;
    int rc = host_signature_verify_start(st->jwt.alg, jwk, jwk_len, st->token, st->jwt.signed_len, st->jwt.sig,
                                         st->jwt.sig_len, &st->handle);
    return rc == VC_OK ? VC_PENDING : rc;
}

/* The entry kept in the store: "EXPIRES FETCHED\nISSUER JWKS_URL_SETTING\nKEYS_URL\n"
 * (times in ms on the host clock), then the key list (jwks.h). */
static const char *entry_keys(auth_state *st, double *expires, double *fetched) {
    char *e = st->entry, *lines[3];
    for (int i = 0; i < 3; i++) {
        lines[i] = e;
        if (!(e = strchr(e, '\n'))) return NULL;
        *e++ = '\0';
    }
    char source[2 * URL_MAX + 2];
    if (TEXT_CONCAT(source, st->s.issuer, " ", st->s.jwks_url) < 0 || strcmp(lines[1], source) != 0) return NULL;
    char *space = strchr(lines[0], ' ');
    if (!space) return NULL;
    *space = '\0';
    if (!text_is_digits(lines[0], 15) || !text_is_digits(space + 1, 15) || TEXT_CONCAT(st->url, lines[2]) < 0) return NULL;
    *expires = 0;
    *fetched = 0;
    for (const char *d = lines[0]; *d; d++) *expires = *expires * 10 + (*d - '0');
    for (const char *d = space + 1; *d; d++) *fetched = *fetched * 10 + (*d - '0');
    return e;
}

/* The first stage: the stored keys when they are this issuer's and fresh,
 * else fetch them (by way of the discovery document without AUTH_JWKS_URL). */
static int use_stored(const vc_request *req, auth_state *st, uint32_t timeout_ms, vc_problem *p) {
    double now = host_clock_ms(), expires = 0, fetched = 0;
    int n = host_store_get(AUTH_STORE_KEY, st->entry, sizeof st->entry - 1);
    const char *keys = NULL;
    if (n > 0 && (size_t)n < sizeof st->entry) {
        st->entry[n] = '\0';
        keys = entry_keys(st, &expires, &fetched);
    }
    if (keys && now < expires) {
        size_t jwk_len = 0;
        const char *jwk = jwks_find(keys, st->jwt.kid, st->jwt.alg, &jwk_len);
        if (jwk) return start_verify(st, jwk, jwk_len);
        if (now - fetched < AUTH_REFETCH_S * 1000.0) return refuse(req, p, "unknown kid", 1);
        return fetch(st, timeout_ms, AS_FETCHED); /* st->url: the keys' URL, from the entry */
    }
    if (st->s.jwks_url[0]) {
        memcpy(st->url, st->s.jwks_url, sizeof st->url);
        return fetch(st, timeout_ms, AS_FETCHED);
    }
    size_t len = strlen(st->s.issuer);
    while (len && st->s.issuer[len - 1] == '/') len--;
    if (len + sizeof DISCOVERY_PATH > sizeof st->url) return unavailable(req, p, "discovery URL too long", 0);
    memcpy(st->url, st->s.issuer, len);
    memcpy(st->url + len, DISCOVERY_PATH, sizeof DISCOVERY_PATH);
    return fetch(st, timeout_ms, AS_DISCOVERED);
}

/* What follows `name` where it starts one of the comma-separated
 * directives of a Cache-Control value (in lowercase), else NULL. */
static const char *directive(const char *value, const char *name) {
    size_t n = strlen(name);
    for (const char *d = value; *d; d++) {
        while (*d == ' ' || *d == ',') d++;
        if (strncmp(d, name, n) == 0) return d + n;
        while (*d && *d != ',') d++;
        if (!*d) break;
    }
    return NULL;
}

/* The fetched document (st->reply: its body, NUL-terminated; the caller
 * frees it with http_reply_free), or NULL with *why and *status. *ttl_s:
 * its Cache-Control max-age within the bounds. Releases the handle. */
static const char *fetched_text(auth_state *st, size_t *len, const char **why, int *status, uint32_t *ttl_s) {
    const char *text = NULL;
    char cache[128];
    *status = http_reply_take(st->handle, "Cache-Control", 1, &st->reply);
    st->handle = 0;
    *why = *status == VC_E_TIMEOUT ? "timeout" : *status == VC_E_TOOBIG ? "document too large" : "network error";
    if (*status == VC_E_HOST) *why = "host error";
    if (*status >= 300 && *status < 400) *why = "redirect refused";
    else if (*status >= 0 && *status != 200) *why = "error status";
    else if (*status == 200) {
        text = st->reply.body;
        *len = st->reply.body_len;
        *why = NULL;
    }
    *ttl_s = AUTH_TTL_DEFAULT_S;
    const char *value = st->reply.header[0];
    if (text && value && strlen(value) < sizeof cache) {
        strcpy(cache, value);
        for (char *c = cache; *c; c++) *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
        const char *age = directive(cache, "max-age=");
        uint32_t v = 0;
        if (age)
            for (; *age >= '0' && *age <= '9' && v <= AUTH_TTL_MAX_S; age++) v = v * 10 + (uint32_t)(*age - '0');
        if (age || directive(cache, "no-store") || directive(cache, "no-cache"))
            *ttl_s = v < AUTH_TTL_MIN_S ? AUTH_TTL_MIN_S : v > AUTH_TTL_MAX_S ? AUTH_TTL_MAX_S : v;
    }
    return text;
}

/* The discovery document: its issuer must be AUTH_ISSUER; its jwks_uri is fetched. */
static int discovered(const vc_request *req, auth_state *st, uint32_t timeout_ms, vc_problem *p) {
    size_t len = 0;
    const char *why = NULL;
    int status = 0;
    uint32_t ttl = 0;
    const char *text = fetched_text(st, &len, &why, &status, &ttl);
    cJSON *doc = NULL;
    if (text && json_parse_strict(text, len, &doc) != JSON_STRICT_OK) why = "discovery document is not JSON";
    http_reply_free(&st->reply);
    const cJSON *iss = cJSON_GetObjectItemCaseSensitive(doc, "issuer");
    const cJSON *uri = cJSON_GetObjectItemCaseSensitive(doc, "jwks_uri");
    if (!why && !(cJSON_IsString(iss) && strcmp(iss->valuestring, st->s.issuer) == 0)) why = "discovery names another issuer";
    if (!why && !(cJSON_IsString(uri) && trusted_url(uri->valuestring) && TEXT_CONCAT(st->url, uri->valuestring) > 0))
        why = "discovery has no usable jwks_uri";
    cJSON_Delete(doc);
    return why ? unavailable(req, p, why, status > 0 ? status : 0) : fetch(st, timeout_ms, AS_FETCHED);
}

/* The key set: kept in the store, then the token's key looked up in it. */
static int fetched(const vc_request *req, auth_state *st, vc_problem *p) {
    size_t len = 0;
    const char *why = NULL;
    int status = 0;
    uint32_t ttl = 0;
    const char *text = fetched_text(st, &len, &why, &status, &ttl);
    if (!text) {
        http_reply_free(&st->reply);
        return unavailable(req, p, why, status > 0 ? status : 0);
    }
    double now = host_clock_ms();
    char expires[24], at[24];
    int head = text_concat(st->entry, ENTRY_HEAD_MAX, text_uint(expires, (unsigned long long)now + ttl * 1000ull), " ",
                           text_uint(at, (unsigned long long)now), "\n", st->s.issuer, " ", st->s.jwks_url, "\n", st->url,
                           "\n", (const char *)0);
    int kept = head > 0 ? jwks_keys(text, len, st->entry + head, sizeof st->entry - (size_t)head) : -1;
    http_reply_free(&st->reply);
    if (kept < 0) return unavailable(req, p, head > 0 ? "not a key set" : "keys URL too long", status);
    char *keys = st->entry + head;
    (void)host_store_put(AUTH_STORE_KEY, st->entry, (size_t)head + strlen(keys));
    size_t jwk_len = 0;
    const char *jwk = jwks_find(keys, st->jwt.kid, st->jwt.alg, &jwk_len);
    return jwk ? start_verify(st, jwk, jwk_len) : refuse(req, p, "unknown kid", 1);
}

/* The signature verified: then the claims; then the pseudonym's HMAC. */
static int verified(const vc_request *req, auth_state *st, auth_who *who, vc_problem *p) {
    int rc = host_signature_verify_result(st->handle); /* releases the handle */
    st->handle = 0;
    if (rc == 0) return refuse(req, p, "signature does not verify", 1);
    if (rc == VC_E_INVALID) return refuse(req, p, "key unusable", 1);
    if (rc != 1) return rc < 0 ? rc : VC_E_HOST;
    jwt_rules rules = {st->s.issuer, st->s.audience, st->s.host_claim, st->s.host_value, host_clock_ms() / 1000.0};
    jwt_identity id = {0};
    const char *why = jwt_check(st->claims, &rules, &id);
    if (why) return refuse(req, p, why, 1);
    who->host = id.host;
    who->name[0] = '\0';
    if (id.name) (void)TEXT_CONCAT(who->name, id.name);
    st->stage = AS_NAMED;
    rc = host_hmac_sha256_start(st->s.issuer, strlen(st->s.issuer), id.sub, strlen(id.sub), &st->handle);
    return rc == VC_OK ? VC_PENDING : rc;
}

static int named(auth_state *st, auth_who *who) {
    uint8_t mac[VC_HMAC_SHA256_LEN];
    int rc = host_hmac_sha256_result(st->handle, mac); /* releases the handle */
    st->handle = 0;
    if (rc != VC_OK) return rc;
    memcpy(who->participant_id, "u_", 2);
    text_base64url(mac, sizeof mac, who->participant_id + 2);
    who->signed_in = 1;
    return VC_OK;
}

int auth_step(const vc_request *req, auth_state *st, uint32_t timeout_ms, auth_who *who, vc_problem *p) {
    switch (st->stage) {
    case AS_KEYS: return use_stored(req, st, timeout_ms, p);
    case AS_DISCOVERED: return discovered(req, st, timeout_ms, p);
    case AS_FETCHED: return fetched(req, st, p);
    case AS_VERIFIED: return verified(req, st, who, p);
    case AS_NAMED: return named(st, who);
    default: return VC_E_INVALID;
    }
}
