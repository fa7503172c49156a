/* fuzz_request.c - the whole request handler: method, path and body.
 *
 * Input: "METHOD PATH\nBODY" (everything after the first newline is the
 * body). RealtimeKit answers with success. Checked for every input: one
 * response with a known status, valid JSON (or, for a 204, no body), nothing left allocated or open
 * (fake_run), and upstream calls only from the five endpoints, each exactly:
 * POST .../meetings or .../meetings/<lowercase UUID>/participants (with a
 * JSON object body built by cJSON), POST .../participants/<UUID>/token (no
 * body), GET .../meetings/<UUID> (no body), and for the end PATCH
 * .../meetings/<UUID> {"status":"INACTIVE"} then POST
 * .../meetings/<UUID>/active-session/kick-all (no body). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "check.h"
#include "fake_host.h"

#define KIT "https://api.cloudflare.com/client/v4/accounts/0123456789abcdef0123456789abcdef/realtime/kit/" \
            "11111111-2222-4333-8444-555555555555/meetings"

static int is_lower_uuid(const char *s) {
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    }
    return 1;
}

/* s is a call to .../meetings/<lowercase UUID> followed by exactly `tail`. */
static int names_meeting(const fake_sent *s, const char *tail) {
    const char *rest = s->url + strlen(KIT);
    return strncmp(s->url, KIT, strlen(KIT)) == 0 && rest[0] == '/' && is_lower_uuid(rest + 1) && strcmp(rest + 37, tail) == 0;
}

/* The calls a lookup or an end may cause, checked to the byte. */
static void check_meeting_calls(const char *method, const char *path) {
    const fake_sent *s = fake_sent_at(0);
    if (strcmp(path, "/api/video-call/session/end") == 0) {
        if (strcmp(method, "POST") != 0 || fake_sent_count() > 2 || strcmp(s->method, "PATCH") != 0 || !names_meeting(s, "") ||
            strcmp(s->body, "{\"status\":\"INACTIVE\"}") != 0)
            abort();
        if (fake_sent_count() == 2) {
            s = fake_sent_at(1);
            if (strcmp(s->method, "POST") != 0 || !names_meeting(s, "/active-session/kick-all") || s->body_len != 0) abort();
        }
        return;
    }
    /* GET /api/video-call/session/<id>: one Fetch a meeting of the same id, lowercased */
    if (strcmp(method, "GET") != 0 || fake_sent_count() != 1 || strcmp(s->method, "GET") != 0 || !names_meeting(s, "") ||
        s->body_len != 0 || strncmp(path, "/api/video-call/session/", 24) != 0 || strlen(path) != 24 + 36)
        abort();
    for (size_t i = 0; i < 36; i++)
        if (s->url[strlen(KIT) + 1 + i] != (path[24 + i] >= 'A' && path[24 + i] <= 'F' ? path[24 + i] + 32 : path[24 + i])) abort();
}

/* The one upstream call a request may cause, checked to the byte. */
static void check_upstream_call(const char *method, const char *url_path) {
    if (fake_sent_count() == 0) return;
    char path[512];
    size_t n = strcspn(url_path, "?#"); /* the query and fragment are not part of the route */
    memcpy(path, url_path, n);
    path[n] = '\0';
    if (strncmp(path, "/api/video-call/session/", 24) == 0) {
        check_meeting_calls(method, path);
        return;
    }
    if (fake_sent_count() != 1 || strcmp(method, "POST") != 0) abort();
    const fake_sent *s = fake_sent_at(0);
    if (strcmp(s->method, "POST") != 0) abort();
    if (strcmp(path, "/api/video-call/session") == 0) {
        if (strcmp(s->url, KIT) != 0) abort();
    } else if (strcmp(path, "/api/video-call/token") == 0) {
        const char *rest = s->url + strlen(KIT);
        if (strncmp(s->url, KIT, strlen(KIT)) != 0 || rest[0] != '/' || !is_lower_uuid(rest + 1) ||
            strcmp(rest + 37, "/participants") != 0)
            abort();
    } else if (strcmp(path, "/api/video-call/token/refresh") == 0) {
        /* .../meetings/<uuid>/participants/<uuid>/token, no body */
        const char *rest = s->url + strlen(KIT);
        if (strncmp(s->url, KIT, strlen(KIT)) != 0 || rest[0] != '/' || !is_lower_uuid(rest + 1) ||
            strncmp(rest + 37, "/participants/", 14) != 0 || !is_lower_uuid(rest + 51) || strcmp(rest + 87, "/token") != 0 ||
            s->body_len != 0)
            abort();
        return;
    } else {
        abort();
    }
    cJSON *body = cJSON_ParseWithLength(s->body, s->body_len);
    if (!cJSON_IsObject(body)) abort();
    for (const cJSON *item = body->child; item; item = item->next)
        if (!cJSON_IsString(item) || !item->valuestring[0]) abort();
    cJSON_Delete(body);
}

static fake_reply succeed(const fake_sent *sent, int index) {
    (void)sent, (void)index;
    return (fake_reply){0, 201, NULL,
                        "{\"success\":true,\"data\":{\"id\":\"8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10\",\"token\":\"t\","
                        "\"title\":\"t\",\"status\":\"INACTIVE\"}}"};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char head[512] = "";
    const char *text = (const char *)data;
    const char *newline = memchr(text, '\n', size);
    size_t head_len = newline ? (size_t)(newline - text) : size;
    if (head_len >= sizeof head) return 0;
    memcpy(head, text, head_len);
    head[head_len] = '\0';
    char *space = strchr(head, ' ');
    const char *path = space ? space + 1 : "/";
    if (space) *space = '\0';
    if (path[0] != '/') return 0; /* a runtime's request URL always has a path starting with '/' */
    const char *body = newline ? newline + 1 : "";
    size_t body_len = newline ? size - head_len - 1 : 0;

    fake_reset();
    fake_config_complete();
    /* Host keys on: seeds hold this secret's key for the reply's meeting (corpus/request/token-host-key). */
    fake_config("HOST_KEY_SECRET", "fuzz-host-key-secret");
    fake_upstream(succeed);
    fake_request(head, path);
    fake_request_body(body, body_len);
    const fake_response *r = fake_run();

    static const int known[] = {200, 204, 400, 403, 404, 405, 410, 413, 429, 500};
    int ok = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) ok |= r->status == known[i];
    if (!ok) abort();
    if (r->status == 204) { /* a preflight: no body */
        if (r->body_len != 0) abort();
    } else {
        cJSON *json = cJSON_ParseWithLength(r->body, r->body_len);
        if (!json) abort();
        cJSON_Delete(json);
    }
    if (r->status != 200 && r->status != 404 && fake_sent_count() != 0) abort(); /* invalid input went upstream */
    check_upstream_call(head, path);
    if (check_failures()) abort();
    return 0;
}
