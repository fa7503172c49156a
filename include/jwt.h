/*
 * jwt.h - reading a signed JSON Web Token (a compact JWS) and checking its
 * claims, as jose and Cloudflare Access do: an allowlist of algorithms
 * (RS256 and ES256: never "none", never an HMAC), the key named by `kid`,
 * every claim checked, one reason per refusal. The signature itself is the
 * host's to check (host_signature_verify_*); nothing here is cryptography.
 *
 * Each function returns NULL when the token passes, or a fixed text saying
 * why it does not (for the log; never the token or a claim's value).
 * Ownership: jwt_read fills the caller's jwt_token and hands back *claims, a
 * cJSON object the caller frees with cJSON_Delete (NULL on refusal). The
 * identity jwt_check fills borrows its strings from that object.
 */
#ifndef VC_JWT_H
#define VC_JWT_H

#include <stddef.h>

#include "cJSON.h"

#define VC_JWT_MAX 8192      /* characters in a token; a longer one is refused */
#define VC_JWT_KID_MAX 128
#define VC_JWT_SIG_MAX 512   /* RS256 up to 4096-bit keys; ES256 is 64 bytes */
#define VC_JWT_SKEW_S 60     /* seconds of clock skew allowed on exp, nbf and iat */
#define VC_JWT_SUB_MAX 255   /* bytes, as OpenID Connect bounds `sub` */

typedef struct jwt_token {
    int alg;                        /* VC_SIG_RS256 or VC_SIG_ES256 (host.h) */
    char kid[VC_JWT_KID_MAX + 1];
    size_t signed_len;              /* the signing input: the token's first signed_len bytes */
    unsigned char sig[VC_JWT_SIG_MAX];
    size_t sig_len;
} jwt_token;

typedef struct jwt_rules {
    const char *issuer;             /* `iss` must be exactly this */
    const char *audience;           /* `aud` must be it, or an array holding it */
    const char *host_claim;         /* "" for none: the claim that makes a host ... */
    const char *host_value;         /* ... when it is this string or an array holding it */
    double now_s;                   /* the host's clock, in seconds */
} jwt_rules;

typedef struct jwt_identity {
    const char *sub;                /* the subject: 1 to VC_JWT_SUB_MAX bytes */
    const char *name;               /* the `name` claim when it is a usable display name, else NULL */
    int host;                       /* the host claim holds the host value */
} jwt_identity;

/* Split token[0..len) into header, payload and signature; decode them; read
 * the header (alg in the allowlist, a kid, no `crit`) and parse the payload
 * as a strict JSON object (json_strict.h). */
const char *jwt_read(const char *token, size_t len, jwt_token *out, cJSON **claims);

/* The claim rules: iss, aud, exp (required), nbf and iat (when present) with
 * VC_JWT_SKEW_S of skew, sub (required); then *who. */
const char *jwt_check(const cJSON *claims, const jwt_rules *rules, jwt_identity *who);

#endif
