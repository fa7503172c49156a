/* presets.c - see presets.h. */
#include "presets.h"

#include <string.h>

#include "host.h"

void presets_load(char *buf, size_t cap) {
    if (host_config_str(VC_CFG_ALLOWED_PRESETS, buf, cap) <= 0) strcpy(buf, VC_DEFAULT_PRESET);
}

void presets_load_host(char *buf, size_t cap) {
    if (host_config_str(VC_CFG_HOST_PRESET, buf, cap) <= 0) strcpy(buf, VC_DEFAULT_HOST_PRESET);
    size_t n = strlen(buf);
    if (n + 2 >= cap) return;
    buf[n] = ',';
    if (host_config_str(VC_CFG_HOST_PRESETS, buf + n + 1, cap - n - 1) <= 0) buf[n] = '\0';
}

/* The next entry of the list, trimmed: start and length; 0 at the end. */
static const char *next_entry(const char *p, size_t *len) {
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    if (!*p) return NULL;
    for (*len = 0; p[*len] && p[*len] != ','; (*len)++) continue; /* not strcspn: it builds a table per call */
    while (*len && (p[*len - 1] == ' ' || p[*len - 1] == '\t')) (*len)--;
    return p;
}

int presets_allow(const char *list, const char *name) {
    size_t len, name_len = strlen(name);
    for (const char *p = next_entry(list, &len); p; p = next_entry(p + len, &len))
        if (len == name_len && strncmp(p, name, len) == 0) return 1;
    return 0;
}

void presets_first(const char *list, char *out, size_t cap) {
    size_t len = 0;
    const char *p = next_entry(list, &len);
    if (!p || len >= cap) {
        p = VC_DEFAULT_PRESET;
        len = strlen(p);
    }
    memcpy(out, p, len);
    out[len] = '\0';
}
