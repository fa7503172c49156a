/* jwks.c - see jwks.h. */
#include "jwks.h"

#include <string.h>

#include "cJSON.h"
#include "host.h"
#include "json_strict.h"
#include "text.h"

/* Member `name` of key when it is a string of base64url characters whose
 * length is within [min, max]; else NULL. */
static const char *b64_member(const cJSON *key, const char *name, size_t min, size_t max) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(key, name);
    if (!cJSON_IsString(v)) return NULL;
    size_t n = strlen(v->valuestring);
    if (n < min || n > max || n % 4 == 1) return NULL;
    return strspn(v->valuestring, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n ? v->valuestring
                                                                                                            : NULL;
}

/* 1 when member `name` is absent or the string `want`. */
static int absent_or(const cJSON *key, const char *name, const char *want) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(key, name);
    return !v || (cJSON_IsString(v) && strcmp(v->valuestring, want) == 0);
}

/* One key's line into out; 0 when the key is not one to keep. */
static int key_line(const cJSON *key, char *out, size_t cap) {
    const cJSON *kty = cJSON_GetObjectItemCaseSensitive(key, "kty");
    const cJSON *kid = cJSON_GetObjectItemCaseSensitive(key, "kid");
    if (!cJSON_IsString(kty) || !cJSON_IsString(kid) || !kid->valuestring[0] || strlen(kid->valuestring) > 128 ||
        strpbrk(kid->valuestring, "\t\n") || !absent_or(key, "use", "sig"))
        return 0;
    if (strcmp(kty->valuestring, "RSA") == 0 && absent_or(key, "alg", "RS256")) {
        /* 2048 to 4096 bits: 342 to 683 characters */
        const char *n = b64_member(key, "n", 342, 683), *e = b64_member(key, "e", 2, 8);
        return n && e && text_concat(out, cap, kid->valuestring, "\t1\t{\"kty\":\"RSA\",\"n\":\"", n, "\",\"e\":\"", e, "\"}\n",
                                     (const char *)0) > 0;
    }
    if (strcmp(kty->valuestring, "EC") == 0 && absent_or(key, "alg", "ES256") && absent_or(key, "crv", "P-256") &&
        cJSON_GetObjectItemCaseSensitive(key, "crv")) {
        const char *x = b64_member(key, "x", 43, 43), *y = b64_member(key, "y", 43, 43);
        return x && y && text_concat(out, cap, kid->valuestring, "\t2\t{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"", x,
                                     "\",\"y\":\"", y, "\"}\n", (const char *)0) > 0;
    }
    return 0;
}

int jwks_keys(const char *json, size_t len, char *out, size_t cap) {
    cJSON *root = NULL;
    int kept = -1;
    out[0] = '\0';
    if (json_parse_strict(json, len, &root) == JSON_STRICT_OK) {
        const cJSON *keys = cJSON_GetObjectItemCaseSensitive(root, "keys");
        if (cJSON_IsArray(keys)) kept = 0;
        size_t used = 0;
        for (const cJSON *key = cJSON_IsArray(keys) ? keys->child : NULL; key; key = key->next) {
            if (key_line(key, out + used, cap - used)) {
                used += strlen(out + used);
                kept++;
            } else {
                out[used] = '\0'; /* a line cut short is dropped */
            }
        }
    }
    cJSON_Delete(root);
    return kept;
}

const char *jwks_find(const char *list, const char *kid, int alg, size_t *jwk_len) {
    size_t kid_len = strlen(kid);
    for (const char *line = list; *line;) {
        const char *end = strchr(line, '\n');
        if (!end) return NULL;
        if (strncmp(line, kid, kid_len) == 0 && line[kid_len] == '\t' && line[kid_len + 1] == (char)('0' + alg) &&
            line[kid_len + 2] == '\t') {
            *jwk_len = (size_t)(end - line - (ptrdiff_t)kid_len - 3);
            return line + kid_len + 3;
        }
        line = end + 1;
    }
    return NULL;
}
