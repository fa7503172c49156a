/* vc_alloc.c - allocator choice and the live-block count (see vc_alloc.h). */
#include "vc_alloc.h"

#include <stdlib.h>

#include "cJSON.h"

static long live_blocks;

void *vc_malloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (p) live_blocks++;
    return p;
}

void vc_free(void *ptr) {
    if (!ptr) return;
    live_blocks--;
    free(ptr);
}

void vc_wipe(void *ptr, size_t len) {
    volatile unsigned char *p = ptr;
    while (len--) *p++ = 0;
}

void vc_free_secret(void *ptr, size_t len) {
    if (!ptr) return;
    vc_wipe(ptr, len);
    vc_free(ptr);
}

long vc_alloc_live(void) { return live_blocks; }

void vc_alloc_init(void) {
    cJSON_Hooks hooks = {vc_malloc, vc_free};
    cJSON_InitHooks(&hooks);
}
