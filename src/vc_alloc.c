/* vc_alloc.c - allocator choice and the live-block count (see vc_alloc.h). */
#include "vc_alloc.h"

#include <stdlib.h>
#include <string.h>

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

/* memset, then an empty asm statement that may read the memory through ptr,
 * so the stores cannot be dropped as dead (the barrier musl's explicit_bzero
 * uses). test/worker/secrets.test.js checks that no copy of the API token is
 * left in an instance's memory. */
void vc_wipe(void *ptr, size_t len) {
    if (!ptr || !len) return;
    memset(ptr, 0, len);
    __asm__ __volatile__("" : : "r"(ptr) : "memory");
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
