/*
 * auth.h - signed-in callers: a route may require (and every route accepts)
 * `Authorization: Bearer <JWT>` from the app's own identity provider.
 *
 * Off unless AUTH_ISSUER and AUTH_AUDIENCE are both set (one without the
 * other is a malformed setting). AUTH_REQUIRED_FOR says which routes need a
 * token: "create" (POST /session only: guests join by link), "post" (the
 * default: every POST route) or "all" (the GET lookup too). A route that does
 * not need one still checks a token it is given, and takes its identity.
 * The keys come from AUTH_JWKS_URL, or else from the jwks_uri of the issuer's
 * OpenID discovery document (whose `issuer` must be AUTH_ISSUER). Both are
 * fetched like RealtimeKit calls (the same timeout, VC_JWKS_MAX bytes, no
 * redirect) and kept in the isolate's store for the key set's Cache-Control
 * max-age, within [AUTH_TTL_MIN_S, AUTH_TTL_MAX_S]; a kid the keys do not
 * hold fetches them again, at most once per AUTH_REFETCH_S.
 * AUTH_HOST_CLAIM ("claim=value", e.g. "roles=host") makes a caller whose
 * token holds that value in that claim a host (host_key.h's presets).
 *
 * A refusal is 401 UNAUTHORIZED with WWW-Authenticate (Bearer, plus
 * error="invalid_token" when a token was given), its reason logged and
 * never the token; keys that cannot be had are 503 AUTH_UNAVAILABLE with
 * Retry-After. Either way no RealtimeKit call follows.
 *
 * The caller's identity: participant_id is "u_" + base64url(HMAC-SHA-256(
 * key = AUTH_ISSUER, message = sub)), a stable pseudonym that keeps the
 * provider's subject out of RealtimeKit (its docs ask for no personal data
 * in custom_participant_id); name is the token's `name` claim when usable.
 *
 * Ownership: auth_begin allocates the check's state (vc_malloc) when there is
 * a token to check; auth_free releases it (and the parsed claims), whatever
 * the outcome. The token is wiped when the state is freed.
 */
#ifndef VC_AUTH_H
#define VC_AUTH_H

#include <stdint.h>

#include "problem.h"
#include "request.h"
#include "validate.h"

/* What a route needs (api_spec.auth): the lowest AUTH_REQUIRED_FOR that covers it. */
enum { AUTH_FOR_NONE = 0, AUTH_FOR_CREATE = 1, AUTH_FOR_POST = 2, AUTH_FOR_ALL = 3 };

#define VC_CFG_AUTH_ISSUER "AUTH_ISSUER"
#define VC_CFG_AUTH_AUDIENCE "AUTH_AUDIENCE"
#define VC_CFG_AUTH_JWKS_URL "AUTH_JWKS_URL"
#define VC_CFG_AUTH_REQUIRED_FOR "AUTH_REQUIRED_FOR"
#define VC_CFG_AUTH_HOST_CLAIM "AUTH_HOST_CLAIM"

#define AUTH_TTL_DEFAULT_S 600   /* keys served without a max-age */
#define AUTH_TTL_MIN_S 60
#define AUTH_TTL_MAX_S 86400
#define AUTH_REFETCH_S 60
#define AUTH_RETRY_AFTER "30"    /* seconds, on a 503 */
#define AUTH_STORE_KEY "auth.keys"

#define VC_AUTH_PARTICIPANT_ID_LEN 45 /* "u_" + 43 */

typedef struct auth_who {
    int signed_in;                  /* a token was given and verified */
    int host;                       /* its host claim holds the host value */
    char participant_id[VC_AUTH_PARTICIPANT_ID_LEN + 1];
    char name[VC_NAME_MAX * 4 + 1]; /* "" when the token has no usable name */
} auth_who;

typedef struct auth_state auth_state;

/* Whether the request's route (needing `level`) has a token to check:
 * VC_OK with *st NULL when not (no sign-in configured, or no token where none
 * is needed), VC_OK with *st set when it has (then auth_step it), VC_PROBLEM
 * (401 without a token where one is needed, or a token that does not even
 * parse; 500 for malformed AUTH_* settings, logged by name), or VC_E_*. */
int auth_begin(const vc_request *req, int level, auth_state **st, vc_problem *p);

/* One step of the check: VC_PENDING (the host must be waited on), VC_OK with
 * *who filled, VC_PROBLEM (401 or 503) or VC_E_*. timeout_ms: RealtimeKit's. */
int auth_step(const vc_request *req, auth_state *st, uint32_t timeout_ms, auth_who *who, vc_problem *p);

void auth_free(auth_state *st);

#endif
