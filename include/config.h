/*
 * config.h - the Worker's settings, read from the host's environment.
 *
 * Ownership: vc_config is fixed-size storage owned by the caller. It holds
 * the API token, so the caller ends its use with config_wipe(), which zeroes
 * it. Nothing is allocated. config_load parses the settings once per
 * environment (its epoch: vc_request.epoch, from the request's head) and keeps that parse, without the
 * API token, for the next request with the same environment; the token is read
 * anew each time, so no copy of it outlives a request.
 */
#ifndef VC_CONFIG_H
#define VC_CONFIG_H

#include <stdint.h>

#include "budget.h"

#define VC_CFG_ACCOUNT_ID "CLOUDFLARE_ACCOUNT_ID"
#define VC_CFG_APP_ID "CLOUDFLARE_REALTIME_APP_ID"
#define VC_CFG_API_TOKEN "CLOUDFLARE_REALTIME_API_TOKEN"
#define VC_CFG_API_BASE "REALTIMEKIT_API_BASE"
#define VC_CFG_TIMEOUT_MS "REALTIMEKIT_TIMEOUT_MS"
#define VC_CFG_BUDGET "REALTIMEKIT_BUDGET" /* "CALLS/SECONDS", see budget.h */
#define VC_BUDGET_BINDING "API_BUDGET"     /* the budget's Durable Object namespace */
#define VC_CFG_TURNSTILE_SECRET "TURNSTILE_SECRET_KEY" /* a secret: read per request, like the API token */

#define VC_DEFAULT_API_BASE "https://api.cloudflare.com/client/v4"
#define VC_DEFAULT_TIMEOUT_MS 10000u

typedef struct vc_config {
    char account_id[128];
    char app_id[128];
    char api_token[512];
    char api_base[256];
    uint32_t timeout_ms;
    budget_rule budget;
    int budget_on;          /* the VC_BUDGET_BINDING binding exists */
    int turnstile_on;       /* VC_CFG_TURNSTILE_SECRET is set (its value is not kept) */
    int host_key_on;        /* HOST_KEY_SECRET is set (host_key.h; its value is not kept) */
} vc_config;

/* 1 when the three required settings are present (values are not read). */
int config_is_complete(void);

/* Read every setting. On failure returns VC_E_NOTFOUND (missing) or
 * VC_E_INVALID (too long or malformed) and sets *bad to the setting's name;
 * cfg is wiped. */
int config_load(vc_config *cfg, int32_t epoch, const char **bad);

void config_wipe(vc_config *cfg);

#endif
