/* config.c - see config.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "host_key.h"
#include "text.h"
#include "vc_alloc.h"

static const char *const required[] = {VC_CFG_ACCOUNT_ID, VC_CFG_APP_ID, VC_CFG_API_TOKEN};

int config_is_complete(void) {
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (host_config_get(required[i], NULL, 0) <= 0) return 0;
    return 1;
}

/* Copy setting `name` into buf (NUL-terminated), or fall back to def. */
static int read_setting(const char *name, char *buf, size_t cap, const char *def) {
    int n = host_config_str(name, buf, cap);
    if (n == VC_E_NOTFOUND && def) {
        strcpy(buf, def);
        return VC_OK;
    }
    if (n < 0) return n == VC_E_NOTFOUND ? n : VC_E_INVALID;
    return strlen(buf) == (size_t)n ? VC_OK : VC_E_INVALID; /* no NUL inside */
}

static int parse_timeout(const char *text, uint32_t *out) {
    uint32_t v = 0;
    if (!text_is_digits(text, 6)) return VC_E_INVALID;
    for (; *text; text++) v = v * 10 + (uint32_t)(*text - '0');
    if (v < 1 || v > 600000) return VC_E_INVALID;
    *out = v;
    return VC_OK;
}

/* Settings that become part of a URL path: letters, digits, '-' and '_'. */
static int is_path_segment(const char *s) {
    if (!*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            return 0;
    return 1;
}

/* An http(s) URL with no query, fragment, space or control character;
 * a trailing '/' is dropped. */
static int normalize_base(char *base) {
    if (strncmp(base, "https://", 8) != 0 && strncmp(base, "http://", 7) != 0) return 0;
    for (const char *c = base; *c; c++)
        if ((unsigned char)*c <= 0x20 || *c == 0x7f || *c == '?' || *c == '#') return 0;
    size_t len = strlen(base);
    while (len > 8 && base[len - 1] == '/') base[--len] = '\0';
    return 1;
}

/* A bearer token goes into a header: printable ASCII only. */
static int is_header_value(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e) return 0;
    return 1;
}

static const char *first_malformed(vc_config *cfg) {
    if (!is_path_segment(cfg->account_id)) return VC_CFG_ACCOUNT_ID;
    if (!is_path_segment(cfg->app_id)) return VC_CFG_APP_ID;
    if (!is_header_value(cfg->api_token)) return VC_CFG_API_TOKEN;
    if (!normalize_base(cfg->api_base)) return VC_CFG_API_BASE;
    return NULL;
}

static int load_fresh(vc_config *cfg, const char **bad) {
    char timeout[16], budget[24];
    struct {
        const char *name;
        char *buf;
        size_t cap;
        const char *def;
    } settings[] = {
        {VC_CFG_ACCOUNT_ID, cfg->account_id, sizeof cfg->account_id, NULL},
        {VC_CFG_APP_ID, cfg->app_id, sizeof cfg->app_id, NULL},
        {VC_CFG_API_TOKEN, cfg->api_token, sizeof cfg->api_token, NULL},
        {VC_CFG_API_BASE, cfg->api_base, sizeof cfg->api_base, VC_DEFAULT_API_BASE},
        {VC_CFG_TIMEOUT_MS, timeout, sizeof timeout, ""},
        {VC_CFG_BUDGET, budget, sizeof budget, BUDGET_DEFAULT},
    };
    int rc = VC_OK;
    *bad = NULL;
    for (size_t i = 0; rc == VC_OK && i < sizeof settings / sizeof settings[0]; i++) {
        rc = read_setting(settings[i].name, settings[i].buf, settings[i].cap, settings[i].def);
        if (rc != VC_OK) *bad = settings[i].name;
    }
    cfg->timeout_ms = VC_DEFAULT_TIMEOUT_MS;
    if (rc == VC_OK && timeout[0] && parse_timeout(timeout, &cfg->timeout_ms) != VC_OK) {
        rc = VC_E_INVALID;
        *bad = VC_CFG_TIMEOUT_MS;
    }
    cfg->budget_on = host_budget_start(VC_BUDGET_BINDING, "", NULL, 0, NULL) == VC_OK;
    cfg->turnstile_on = host_config_get(VC_CFG_TURNSTILE_SECRET, NULL, 0) != VC_E_NOTFOUND; /* its length only */
    int host_keys = host_key_enabled(); /* likewise */
    cfg->host_key_on = host_keys == 1;
    if (rc == VC_OK && host_keys < 0) {
        rc = VC_E_INVALID;
        *bad = VC_CFG_HOST_KEY_SECRET;
    }
    if (rc == VC_OK && budget_rule_parse(budget, &cfg->budget) != VC_OK) {
        rc = VC_E_INVALID;
        *bad = VC_CFG_BUDGET;
    }
    if (rc == VC_OK && (*bad = first_malformed(cfg)) != NULL) rc = VC_E_INVALID;
    if (rc != VC_OK) config_wipe(cfg);
    return rc;
}

void config_wipe(vc_config *cfg) { vc_wipe(cfg, sizeof *cfg); }

/* The last environment's settings, parsed, without the API token (see
 * config.h); only a parse that succeeded is reused. */
static struct {
    int32_t epoch;
    int rc;
    vc_config cfg;
} cached = {.epoch = -1};

int config_load(vc_config *cfg, int32_t epoch, const char **bad) {
    if (epoch < 0 || epoch != cached.epoch || cached.rc != VC_OK) {
        int rc = load_fresh(cfg, bad);
        if (epoch >= 0) {
            cached.epoch = epoch;
            cached.rc = rc;
            cached.cfg = *cfg;
            vc_wipe(cached.cfg.api_token, sizeof cached.cfg.api_token); /* never kept: read per request */
        }
        return rc;
    }
    *cfg = cached.cfg;
    *bad = NULL;
    int rc = read_setting(VC_CFG_API_TOKEN, cfg->api_token, sizeof cfg->api_token, NULL);
    if (rc == VC_OK && !is_header_value(cfg->api_token)) rc = VC_E_INVALID;
    if (rc != VC_OK) {
        *bad = VC_CFG_API_TOKEN;
        config_wipe(cfg);
    }
    return rc;
}
