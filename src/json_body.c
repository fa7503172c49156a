/* json_body.c - see json_body.h. */
#include "json_body.h"

#include <stdint.h>
#include <string.h>

#include "host.h"
#include "text.h"

#define TOO_LARGE_MESSAGE "Request body must be at most 16384 bytes"
_Static_assert(VC_BODY_MAX == 16384, "keep TOO_LARGE_MESSAGE in step with VC_BODY_MAX");

static int too_large(vc_problem *p) { return problem_set(p, 413, "INVALID_INPUT", TOO_LARGE_MESSAGE, (const char *)0); }

/* Content-Length, when present and a plain decimal number; -1 otherwise. */
static long declared_length(void) {
    char value[32];
    int n = host_request_header_str("Content-Length", value, sizeof value);
    if (n == VC_E_TOOBIG) return (long)VC_BODY_MAX + 1; /* 31+ digits */
    if (n <= 0 || !text_is_digits(value, sizeof value)) return -1;
    long total = 0;
    for (int i = 0; i < n && total <= VC_BODY_MAX; i++) total = total * 10 + (value[i] - '0');
    return total;
}

int body_start(uint32_t *handle, vc_problem *p) {
    *handle = 0;
    if (declared_length() > VC_BODY_MAX) return too_large(p);
    int rc = host_request_body_start(VC_BODY_MAX, handle);
    return rc == VC_OK ? VC_PENDING : problem_invalid(p, "Request body could not be read");
}

int body_take(uint32_t handle, char *buf, size_t cap, size_t *len, vc_problem *p) {
    *len = 0;
    int n = cap < VC_BODY_MAX + 1 ? VC_E_INVALID : host_request_body(handle, buf, VC_BODY_MAX);
    (void)host_handle_close(handle);
    if (n == VC_E_INVALID) return problem_set(p, 500, "INTERNAL_ERROR", "Internal error", (const char *)0);
    if (n == VC_E_TOOBIG || n > VC_BODY_MAX) return too_large(p);
    if (n < 0) return problem_invalid(p, "Request body could not be read");
    *len = (size_t)n;
    return VC_OK;
}

int utf8_valid(const char *s, size_t len) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = u[i];
        size_t need;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            need = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            need = 2, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            need = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (len - i - 1 < need) return 0;
        for (size_t k = 1; k <= need; k++) {
            if ((u[i + k] & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (u[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
        i += need + 1;
    }
    return 1;
}

/* What cJSON lets through in string literals: a raw control character
 * (invalid JSON) and "\u0000", which it turns into a NUL that silently cuts
 * the string short. Returns 0, or the problem's message. */
static const char *string_literal_problem(const char *s, size_t len) {
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        if (!in_string) {
            in_string = s[i] == '"';
        } else if (s[i] == '"') {
            in_string = 0;
        } else if ((unsigned char)s[i] < 0x20) {
            return "Request body must be valid JSON";
        } else if (s[i] == '\\' && i + 1 < len) {
            if (s[i + 1] == 'u' && i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0)
                return "Request body must not contain \\u0000";
            i++; /* skip the escaped character */
        }
    }
    return 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int has_duplicate_key(const cJSON *object) {
    for (const cJSON *a = object->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (strcmp(a->string, b->string) == 0) return 1;
    return 0;
}

int json_parse_object(const char *buf, size_t len, int allow_empty, cJSON **out, vc_problem *p) {
    *out = NULL;
    size_t start = 0;
    while (start < len && is_space(buf[start])) start++;
    if (start == len) {
        if (!allow_empty) return problem_invalid(p, "Request body must be a JSON object");
        *out = cJSON_CreateObject();
        return *out ? VC_OK : VC_E_NOMEM;
    }
    if (!utf8_valid(buf, len)) return problem_invalid(p, "Request body must be valid UTF-8");
    const char *literal_problem = string_literal_problem(buf, len);
    if (literal_problem) return problem_invalid(p, literal_problem);

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!root) return problem_invalid(p, "Request body must be valid JSON");
    size_t rest = (size_t)(end - buf);
    while (rest < len && is_space(buf[rest])) rest++;
    int rc = VC_OK;
    if (rest != len)
        rc = problem_invalid(p, "Request body must be valid JSON");
    else if (!cJSON_IsObject(root))
        rc = problem_invalid(p, "Request body must be a JSON object");
    else if (has_duplicate_key(root))
        rc = problem_invalid(p, "Request body must not repeat a key");
    if (rc != VC_OK) {
        cJSON_Delete(root);
        return rc;
    }
    *out = root;
    return VC_OK;
}
