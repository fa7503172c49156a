/* jwt.c - see jwt.h. */
#include "jwt.h"

#include <string.h>

#include "host.h"
#include "json_strict.h"
#include "text.h"
#include "validate.h"
#include "vc_alloc.h"

#define HEADER_MAX 1024 /* decoded bytes */

/* Decode a base64url part and parse it strictly; NULL on failure. */
static cJSON *part_json(const char *s, size_t len) {
    unsigned char *buf = vc_malloc(len / 4 * 3 + 3);
    cJSON *out = NULL;
    int n = buf ? text_base64url_decode(s, len, buf, len / 4 * 3 + 3) : VC_E_NOMEM;
    if (n > 0 && json_parse_strict((const char *)buf, (size_t)n, &out) != JSON_STRICT_OK) out = NULL;
    vc_free(buf);
    return out;
}

static const char *read_header(const cJSON *h, jwt_token *out) {
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(h, "alg");
    const cJSON *kid = cJSON_GetObjectItemCaseSensitive(h, "kid");
    if (!cJSON_IsString(alg)) return "no alg in the header";
    if (strcmp(alg->valuestring, "RS256") == 0)
        out->alg = VC_SIG_RS256;
    else if (strcmp(alg->valuestring, "ES256") == 0)
        out->alg = VC_SIG_ES256;
    else
        return "algorithm not allowed";
    if (cJSON_GetObjectItemCaseSensitive(h, "crit")) return "crit header not supported";
    if (!cJSON_IsString(kid) || !kid->valuestring[0] || TEXT_CONCAT(out->kid, kid->valuestring) < 0 ||
        strchr(out->kid, '\t') || strchr(out->kid, '\n'))
        return "no usable kid in the header";
    return NULL;
}

const char *jwt_read(const char *token, size_t len, jwt_token *out, cJSON **claims) {
    *claims = NULL;
    if (len > VC_JWT_MAX) return "token too long";
    const char *dot1 = NULL, *dot2 = NULL;
    for (size_t i = 0; i < len; i++) {
        if (token[i] != '.') continue;
        if (dot2) return "not a signed JWT";
        if (dot1) dot2 = token + i; else dot1 = token + i;
    }
    if (!dot2) return "not a signed JWT";
    size_t header_len = (size_t)(dot1 - token), payload_len = (size_t)(dot2 - dot1 - 1);
    size_t sig_text = len - (size_t)(dot2 + 1 - token);
    if (header_len > HEADER_MAX * 4 / 3 + 2) return "header too long";
    cJSON *header = part_json(token, header_len);
    const char *why = header ? read_header(header, out) : "header is not a JSON object";
    cJSON_Delete(header);
    if (why) return why;
    int n = text_base64url_decode(dot2 + 1, sig_text, out->sig, sizeof out->sig);
    if (n <= 0) return "signature is not base64url";
    out->sig_len = (size_t)n;
    if (out->alg == VC_SIG_ES256 && n != 64) return "ES256 signature is not 64 bytes";
    if (out->alg == VC_SIG_RS256 && n < 256) return "RS256 signature shorter than a 2048-bit key's";
    out->signed_len = (size_t)(dot2 - token);
    *claims = part_json(dot1 + 1, payload_len);
    return *claims ? NULL : "payload is not a JSON object";
}

/* 1 when v is the string `want`, or an array with that string among its items. */
static int holds(const cJSON *v, const char *want) {
    if (cJSON_IsString(v)) return strcmp(v->valuestring, want) == 0;
    if (!cJSON_IsArray(v)) return 0;
    for (const cJSON *item = v->child; item; item = item->next)
        if (cJSON_IsString(item) && strcmp(item->valuestring, want) == 0) return 1;
    return 0;
}

/* A time claim: 0 absent, 1 a number (in *out), -1 anything else. */
static int time_claim(const cJSON *claims, const char *name, double *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(claims, name);
    if (!v) return 0;
    if (!cJSON_IsNumber(v)) return -1;
    *out = v->valuedouble;
    return 1;
}

const char *jwt_check(const cJSON *claims, const jwt_rules *rules, jwt_identity *who) {
    double exp = 0, nbf = 0, iat = 0;
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(claims, "sub");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(claims, "name");
    const cJSON *iss = cJSON_GetObjectItemCaseSensitive(claims, "iss");
    if (!cJSON_IsString(iss) || strcmp(iss->valuestring, rules->issuer) != 0) return "wrong issuer";
    if (!holds(cJSON_GetObjectItemCaseSensitive(claims, "aud"), rules->audience)) return "wrong audience";
    int has = time_claim(claims, "exp", &exp);
    if (has <= 0) return "no exp claim";
    if (rules->now_s >= exp + VC_JWT_SKEW_S) return "token has expired";
    has = time_claim(claims, "nbf", &nbf);
    if (has < 0) return "nbf is not a number";
    if (has && rules->now_s + VC_JWT_SKEW_S < nbf) return "token is not valid yet";
    has = time_claim(claims, "iat", &iat);
    if (has < 0) return "iat is not a number";
    if (has && rules->now_s + VC_JWT_SKEW_S < iat) return "token is issued in the future";
    if (!cJSON_IsString(sub) || !sub->valuestring[0] || strlen(sub->valuestring) > VC_JWT_SUB_MAX)
        return "no usable sub claim";
    who->sub = sub->valuestring;
    size_t chars = cJSON_IsString(name) ? text_chars(name->valuestring, strlen(name->valuestring)) : 0;
    who->name = chars && chars != TEXT_CONTROL && chars <= VC_NAME_MAX ? name->valuestring : NULL;
    who->host = rules->host_claim[0] && holds(cJSON_GetObjectItemCaseSensitive(claims, rules->host_claim), rules->host_value);
    return NULL;
}
