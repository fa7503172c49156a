/* fuzz_token.c - the sign-in's parsers: a bearer token (jwt.h) and a key set
 * (jwks.h).
 *
 * Input: "T" + a token, or "K" + a JWKS document. Checked for a token:
 * jwt_read accepts only RS256 or ES256 with a kid and a signature of its
 * algorithm's size, its signing input ending where the signature's '.' is;
 * jwt_check passes only a token of our issuer and audience, unexpired, whose
 * sub is 1 to 255 bytes. For a key set: every line of the key list is
 * "kid\t1|2\t{...}\n" whose JWK text is a strict JSON object of the
 * algorithm's members, and jwks_find finds each line's key. Nothing leaks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "host.h"
#include "json_strict.h"
#include "jwks.h"
#include "jwt.h"
#include "vc_alloc.h"

static void check_token(const char *token, size_t len) {
    jwt_token t;
    cJSON *claims = NULL;
    memset(&t, 0, sizeof t);
    const char *why = jwt_read(token, len, &t, &claims);
    if (why) {
        if (claims) abort();
        return;
    }
    if (!claims || (t.alg != VC_SIG_RS256 && t.alg != VC_SIG_ES256)) abort();
    if (t.alg == VC_SIG_ES256 && t.sig_len != 64) abort();
    if (t.alg == VC_SIG_RS256 && (t.sig_len < 256 || t.sig_len > VC_JWT_SIG_MAX)) abort();
    if (t.signed_len >= len || token[t.signed_len] != '.' || !t.kid[0] || strchr(t.kid, '\t')) abort();
    jwt_rules rules = {"https://id.example.test", "video-app", "roles", "host", 1700000000.0};
    jwt_identity who = {0};
    if (!jwt_check(claims, &rules, &who)) {
        const cJSON *iss = cJSON_GetObjectItemCaseSensitive(claims, "iss");
        const cJSON *exp = cJSON_GetObjectItemCaseSensitive(claims, "exp");
        if (!cJSON_IsString(iss) || strcmp(iss->valuestring, rules.issuer) != 0) abort();
        if (!cJSON_IsNumber(exp) || exp->valuedouble + VC_JWT_SKEW_S <= rules.now_s) abort();
        if (!who.sub || !who.sub[0] || strlen(who.sub) > VC_JWT_SUB_MAX) abort();
    }
    cJSON_Delete(claims);
}

static void check_keys(const char *doc, size_t len) {
    static char list[VC_JWKS_LIST_MAX];
    int kept = jwks_keys(doc, len, list, sizeof list);
    int lines = 0;
    for (const char *line = list; *line; lines++) {
        const char *end = strchr(line, '\n'), *tab = strchr(line, '\t');
        if (!end || !tab || tab > end || tab == line || (tab[1] != '1' && tab[1] != '2') || tab[2] != '\t') abort();
        char kid[VC_JWT_KID_MAX + 1];
        size_t kid_len = (size_t)(tab - line);
        if (kid_len > VC_JWT_KID_MAX) abort();
        memcpy(kid, line, kid_len);
        kid[kid_len] = '\0';
        cJSON *jwk = NULL;
        if (json_parse_strict(tab + 3, (size_t)(end - tab - 3), &jwk) != JSON_STRICT_OK) abort();
        const cJSON *kty = cJSON_GetObjectItemCaseSensitive(jwk, "kty");
        const char *want = tab[1] == '1' ? "RSA" : "EC";
        if (!cJSON_IsString(kty) || strcmp(kty->valuestring, want) != 0) abort();
        if (tab[1] == '1' && !(cJSON_GetObjectItemCaseSensitive(jwk, "n") && cJSON_GetObjectItemCaseSensitive(jwk, "e"))) abort();
        if (tab[1] == '2' && !(cJSON_GetObjectItemCaseSensitive(jwk, "x") && cJSON_GetObjectItemCaseSensitive(jwk, "y"))) abort();
        cJSON_Delete(jwk);
        size_t n = 0;
        if (!jwks_find(list, kid, tab[1] - '0', &n) || n == 0) abort();
        line = end + 1;
    }
    if (kept >= 0 ? lines != kept : lines != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 16384) return 0;
    vc_alloc_init();
    long before = vc_alloc_live();
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] == 'T') check_token(text, size - 1);
    if (data[0] == 'K') check_keys(text, size - 1);
    free(text);
    if (vc_alloc_live() != before) abort();
    return 0;
}
