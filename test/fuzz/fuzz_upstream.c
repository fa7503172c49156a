/* fuzz_upstream.c - the reading of RealtimeKit's replies.
 *
 * Input: "STATUS\nName: value\n...\n\nBODY": RealtimeKit's status, headers
 * and body, answered to every call of each of the five routes. Checked
 * against a reference reading of the contract: the answer is exactly
 * 200 {meeting_id}, {auth_token, participant_id}, {auth_token},
 * {meeting_id, title, active} or {meeting_id, active:false} for a 2xx
 * success whose values pass their rules (ids are UUIDs, answered lowercase;
 * tokens 1 to 8192 bytes without control characters; titles null or at most
 * 256 characters without control characters; status ACTIVE or INACTIVE),
 * 404 NOT_FOUND (all but session) when RealtimeKit says 404, else the fixed
 * 500 REALTIMEKIT_ERROR body; never retried: one call per route, except a
 * refused join's one lookup and the end's two steps; nothing left allocated
 * or open.
 * The reference takes the strict JSON reading (json_strict.h) from the
 * product, which test_reply_values.c and fuzz_request check; the rest of it
 * is its own, and it checks on its own that a \u0000 escape never gets a 200. */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "check.h"
#include "fake_host.h"
#include "json_strict.h"

static struct {
    int status;
    char headers[1024];
    char body[8192];
} reply;

static fake_reply answer(const fake_sent *sent, int index) {
    (void)sent, (void)index;
    return (fake_reply){0, reply.status, reply.headers, reply.body};
}

enum { SESSION, TOKEN, REFRESH, LOOKUP, END };

#define MEETING "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10"
/* HMAC-SHA-256("fuzz-host-key-secret", "host:v1:" MEETING), as in corpus/request/token-host-key. */
#define HOST_KEY "v1.3vWl25aJP8DAejYdAAdQu8ztg9y2jV2oXCEFqtXjGX0"

/* The UUID s in lowercase into out, or 0. */
static int ref_uuid(const cJSON *item, char out[37]) {
    if (!cJSON_IsString(item) || strlen(item->valuestring) != 36) return 0;
    for (int i = 0; i < 36; i++) {
        unsigned char c = (unsigned char)item->valuestring[i];
        if (i == 8 || i == 13 || i == 18 || i == 23 ? c != '-' : !isxdigit(c)) return 0;
        out[i] = (char)tolower(c);
    }
    out[36] = '\0';
    return 1;
}

static int ref_token(const cJSON *item) {
    if (!cJSON_IsString(item)) return 0;
    const unsigned char *s = (const unsigned char *)item->valuestring;
    size_t n = strlen(item->valuestring);
    if (n == 0 || n > 8192) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] == 0x7f || (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)) return 0;
    return 1;
}

/* A title: null or absent (*out NULL), or a string of at most 256 code
 * points with no C0, DEL or C1 character. */
static int ref_title(const cJSON *item, const char **out) {
    *out = NULL;
    if (!item || cJSON_IsNull(item)) return 1;
    if (!cJSON_IsString(item)) return 0;
    const unsigned char *s = (const unsigned char *)item->valuestring;
    size_t points = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] < 0x20 || s[i] == 0x7f || (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)) return 0;
        points += (s[i] & 0xc0) != 0x80;
    }
    if (points > 256) return 0;
    *out = item->valuestring;
    return 1;
}

/* The status: 1 ACTIVE, 0 INACTIVE, -1 anything else. */
static int ref_active(const cJSON *item) {
    if (!cJSON_IsString(item)) return -1;
    if (!strcmp(item->valuestring, "ACTIVE")) return 1;
    return strcmp(item->valuestring, "INACTIVE") ? -1 : 0;
}

static int ref_repeats_key(const cJSON *object) {
    for (const cJSON *a = object->child; a; a = a->next)
        for (const cJSON *b = object->child; b != a; b = b->next)
            if (!strcmp(a->string, b->string)) return 1;
    return 0;
}

/* A \u0000 escape: "u0000" after an odd run of backslashes. */
static int ref_has_nul_escape(const char *s) {
    for (const char *u = strstr(s, "u0000"); u; u = strstr(u + 1, "u0000")) {
        size_t run = 0;
        while (u - (ptrdiff_t)run > s && u[-1 - (ptrdiff_t)run] == '\\') run++;
        if (run % 2) return 1;
    }
    return 0;
}

/* What the contract says the answer to `reply` must be; *calls: how many
 * RealtimeKit calls it takes. */
static void expected(int route, char *out, size_t cap, int *calls) {
    cJSON *root = NULL;
    json_parse_strict(reply.body, strlen(reply.body), &root);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "error"), "code");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    char id[37] = "";
    int ok = reply.status >= 200 && reply.status <= 299 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success")) &&
             cJSON_IsObject(data) && !ref_repeats_key(data);
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(data, "token");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(data, "status");
    const char *title = NULL;
    int says_404 = reply.status == 404 || (cJSON_IsNumber(code) && code->valuedouble == 404.0);
    int s = reply.status;
    *calls = 1;
    if (route == TOKEN && !says_404 && s >= 400 && s < 500 && s != 401 && s != 403 && s != 429) *calls = 2;
    /* The end's update succeeded (its status, when shown, INACTIVE): the kick-all follows. */
    if (route == END && ok && !says_404 && (!status || ref_active(status) == 0)) *calls = 2;
    if (ok && (route == SESSION || route == TOKEN || route == LOOKUP))
        ok = ref_uuid(cJSON_GetObjectItemCaseSensitive(data, "id"), id);
    if (ok && (route == TOKEN || route == REFRESH)) ok = ref_token(token);
    if (ok && route == LOOKUP) ok = ref_title(cJSON_GetObjectItemCaseSensitive(data, "title"), &title) && ref_active(status) >= 0;
    if (ok && route == END) ok = *calls == 2;
    if (route != SESSION && says_404) {
        snprintf(out, cap, "{\"error\":\"%s\",\"code\":\"NOT_FOUND\"}",
                 route == REFRESH ? "Meeting or participant not found" : "Meeting not found");
    } else if (ok) {
        cJSON *answer = cJSON_CreateObject();
        if (route == LOOKUP || route == END) {
            cJSON_AddStringToObject(answer, "meeting_id", route == END ? MEETING : id);
            if (route == LOOKUP) title ? cJSON_AddStringToObject(answer, "title", title) : cJSON_AddNullToObject(answer, "title");
            cJSON_AddBoolToObject(answer, "active", route == LOOKUP && ref_active(status) == 1);
        }
        if (route == TOKEN || route == REFRESH) cJSON_AddStringToObject(answer, "auth_token", token->valuestring);
        if (route == SESSION || route == TOKEN) cJSON_AddStringToObject(answer, route == SESSION ? "meeting_id" : "participant_id", id);
        char *text = cJSON_PrintUnformatted(answer);
        snprintf(out, cap, "%s", text);
        cJSON_free(text);
        cJSON_Delete(answer);
    } else {
        snprintf(out, cap, "{\"error\":\"RealtimeKit request failed\",\"code\":\"REALTIMEKIT_ERROR\"}");
    }
    cJSON_Delete(root);
}

static void run(int route, const char *path, const char *body) {
    fake_reset();
    fake_config_complete();
    if (route == END) fake_config("HOST_KEY_SECRET", "fuzz-host-key-secret");
    fake_upstream(answer);
    fake_request(route == LOOKUP ? "GET" : "POST", path);
    if (body) fake_request_body(body, strlen(body));
    const fake_response *r = fake_run();
    if (r->status != 200 && r->status != 404 && r->status != 500) abort();
    cJSON *json = cJSON_ParseWithLength(r->body, r->body_len);
    if (!json) abort();
    cJSON_Delete(json);
    if (check_failures()) abort();
    static char want[16384];
    int calls = 0;
    expected(route, want, sizeof want, &calls);
    if (fake_sent_count() != calls) abort(); /* never retried */
    if (strcmp(r->body, want) != 0) abort();
    if (r->status == 200 && ref_has_nul_escape(reply.body)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    size_t i = 0;
    reply.status = 0;
    while (i < size && i < 4 && text[i] >= '0' && text[i] <= '9') reply.status = reply.status * 10 + (text[i++] - '0');
    if (i < size && text[i] == '\n') i++;
    /* headers up to a blank line */
    const char *end = NULL;
    for (size_t j = i; j + 1 < size; j++)
        if (text[j] == '\n' && text[j + 1] == '\n') {
            end = text + j;
            break;
        }
    size_t headers_len = end ? (size_t)(end - (text + i)) + 1 : 0;
    if (headers_len >= sizeof reply.headers) return 0;
    memcpy(reply.headers, text + i, headers_len);
    reply.headers[headers_len] = '\0';
    size_t body_at = end ? (size_t)(end - text) + 2 : i;
    size_t body_len = size - body_at;
    if (body_len >= sizeof reply.body || memchr(text + body_at, '\0', body_len)) return 0;
    memcpy(reply.body, text + body_at, body_len);
    reply.body[body_len] = '\0';

    run(SESSION, "/api/video-call/session", "{}");
    run(TOKEN, "/api/video-call/token", "{\"meeting_id\":\"" MEETING "\"}");
    run(REFRESH, "/api/video-call/token/refresh",
        "{\"meeting_id\":\"" MEETING "\",\"participant_id\":\"0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e\"}");
    run(LOOKUP, "/api/video-call/session/" MEETING, NULL);
    run(END, "/api/video-call/session/end", "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"" HOST_KEY "\"}");
    return 0;
}
