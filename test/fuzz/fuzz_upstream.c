/* fuzz_upstream.c - the reading of RealtimeKit's replies.
 *
 * Input: "STATUS\nName: value\n...\n\nBODY": RealtimeKit's status, headers
 * and body, answered to each of the three routes. Checked against a
 * reference reading of the contract: the answer is exactly
 * 200 {meeting_id}, {auth_token, participant_id} or {auth_token} for a 2xx
 * success whose values pass their rules (ids are UUIDs, answered lowercase;
 * tokens 1 to 8192 bytes without control characters), 404 NOT_FOUND (token
 * and refresh) when RealtimeKit says 404, else the fixed 500
 * REALTIMEKIT_ERROR body; never retried; nothing left allocated or open.
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

enum { SESSION, TOKEN, REFRESH };

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

/* What the contract says the answer to `reply` must be. */
static void expected(int route, char *out, size_t cap) {
    cJSON *root = NULL;
    json_parse_strict(reply.body, strlen(reply.body), &root);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "error"), "code");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    char id[37] = "";
    int ok = reply.status >= 200 && reply.status <= 299 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success")) &&
             cJSON_IsObject(data) && !ref_repeats_key(data);
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(data, "token");
    if (ok && route != REFRESH) ok = ref_uuid(cJSON_GetObjectItemCaseSensitive(data, "id"), id);
    if (ok && route != SESSION) ok = ref_token(token);
    if (route != SESSION && (reply.status == 404 || (cJSON_IsNumber(code) && code->valuedouble == 404.0))) {
        snprintf(out, cap, "{\"error\":\"%s\",\"code\":\"NOT_FOUND\"}",
                 route == TOKEN ? "Meeting not found" : "Meeting or participant not found");
    } else if (ok) {
        cJSON *answer = cJSON_CreateObject();
        if (route != SESSION) cJSON_AddStringToObject(answer, "auth_token", token->valuestring);
        if (route != REFRESH) cJSON_AddStringToObject(answer, route == SESSION ? "meeting_id" : "participant_id", id);
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
    fake_upstream(answer);
    fake_request("POST", path);
    fake_request_body(body, strlen(body));
    const fake_response *r = fake_run();
    if (r->status != 200 && r->status != 404 && r->status != 500) abort();
    cJSON *json = cJSON_ParseWithLength(r->body, r->body_len);
    if (!json) abort();
    cJSON_Delete(json);
    if (fake_sent_count() != 1) abort(); /* never retried */
    if (check_failures()) abort();
    static char want[16384];
    expected(route, want, sizeof want);
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
    run(TOKEN, "/api/video-call/token", "{\"meeting_id\":\"8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10\"}");
    run(REFRESH, "/api/video-call/token/refresh",
        "{\"meeting_id\":\"8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10\",\"participant_id\":\"0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e\"}");
    return 0;
}
