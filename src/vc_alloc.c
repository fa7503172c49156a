/* vc_alloc.c - allocator choice and the live-block count (see vc_alloc.h). */
#include "vc_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"

static long live_blocks;

#if defined(__wasm__)
/* In the module: an arena. An instance serves one request at a time and
 * every request frees all it allocated (vc_alloc_live returns to 0: the
 * native tests and the soak test check it), so a block is never reused
 * while others are live: vc_malloc takes the next bytes of linear memory
 * (growing it when needed), vc_free only counts, and the last vc_free of a
 * request starts the arena over. It is a few hundred bytes of code where a
 * general allocator (wasi-libc's dlmalloc) is about ten thousand, and costs a
 * few instructions per call (docs/performance.md). The native builds keep
 * libc's malloc, so that AddressSanitizer sees every block. */
extern unsigned char __heap_base;
#define ALIGN 16u
#define PAGE 65536u
static uintptr_t arena_next;

static uintptr_t arena_start(void) { return ((uintptr_t)&__heap_base + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1); }

void *vc_malloc(size_t size) {
    if (!arena_next) arena_next = arena_start();
    size_t rounded = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (rounded < size || rounded > UINTPTR_MAX - arena_next) return NULL;
    uintptr_t end = arena_next + (rounded ? rounded : ALIGN);
    uintptr_t have = __builtin_wasm_memory_size(0) * (uintptr_t)PAGE;
    if (end > have && __builtin_wasm_memory_grow(0, (end - have + PAGE - 1) / PAGE) == (size_t)-1) return NULL;
    void *p = (void *)arena_next;
    arena_next = end;
    live_blocks++;
    return p;
}

void vc_free(void *ptr) {
    if (!ptr) return;
    if (--live_blocks == 0) arena_next = arena_start();
}
#else
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
#endif

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
