/* fuzz_upstream.c - the parsing of RealtimeKit's replies.
 *
 * Input: "STATUS\nName: value\n...\n\nBODY": RealtimeKit's status, headers
 * and body for both endpoints. Checked against a reference reading of the
 * contract: the answer is exactly 200 {meeting_id: data.id} or
 * {auth_token: data.token, participant_id: data.id}
 * for a 2xx success, 404 NOT_FOUND (token only) when RealtimeKit says 404,
 * else the fixed 500 REALTIMEKIT_ERROR body; never retried; nothing left
 * allocated or open. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "check.h"
#include "fake_host.h"

static struct {
    int status;
    char headers[1024];
    char body[8192];
} reply;

static fake_reply answer(const fake_sent *sent, int index) {
    (void)sent, (void)index;
    return (fake_reply){0, reply.status, reply.headers, reply.body};
}

/* What the contract says the answer to `reply` must be. */
static void expected(int is_token, char *out, size_t cap) {
    cJSON *root = cJSON_ParseWithOpts(reply.body, NULL, 1);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "error"), "code");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(data, is_token ? "token" : "id");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(data, "id");
    int ok2xx = reply.status >= 200 && reply.status <= 299 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success")) &&
                cJSON_IsObject(data) && cJSON_IsString(value) && value->valuestring[0] && strlen(value->valuestring) <= 8192 &&
                (!is_token || (cJSON_IsString(id) && id->valuestring[0] && strlen(id->valuestring) <= 8192));
    if (is_token && (reply.status == 404 || (cJSON_IsNumber(code) && code->valuedouble == 404.0))) {
        snprintf(out, cap, "{\"error\":\"Meeting not found\",\"code\":\"NOT_FOUND\"}");
    } else if (ok2xx) {
        cJSON *answer = cJSON_CreateObject();
        cJSON_AddStringToObject(answer, is_token ? "auth_token" : "meeting_id", value->valuestring);
        if (is_token) cJSON_AddStringToObject(answer, "participant_id", id->valuestring);
        char *text = cJSON_PrintUnformatted(answer);
        snprintf(out, cap, "%s", text);
        cJSON_free(text);
        cJSON_Delete(answer);
    } else {
        snprintf(out, cap, "{\"error\":\"RealtimeKit request failed\",\"code\":\"REALTIMEKIT_ERROR\"}");
    }
    cJSON_Delete(root);
}

static void run(const char *path, const char *body) {
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
    expected(strstr(path, "token") != NULL, want, sizeof want);
    if (strcmp(r->body, want) != 0) abort();
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

    run("/api/video-call/session", "{}");
    run("/api/video-call/token", "{\"meeting_id\":\"8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10\"}");
    return 0;
}
