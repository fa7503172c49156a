/*
 * vc_alloc.h - the one place that chooses the allocator (as redis's sdsalloc.h).
 *
 * Every allocation in the C core, cJSON's included (see vc_alloc_init), goes
 * through these functions. Ownership: whoever receives a pointer from
 * vc_malloc owns it and releases it with vc_free.
 *
 * vc_alloc_live() counts blocks allocated and not yet freed. It is not
 * request state: between requests it returns to its baseline, and the native
 * tests and the soak test check exactly that.
 */
#ifndef VC_ALLOC_H
#define VC_ALLOC_H

#include <stddef.h>

void *vc_malloc(size_t size);
void vc_free(void *ptr);
/* Like vc_free, but zeroes the first len bytes first (for secrets). */
void vc_free_secret(void *ptr, size_t len);
long vc_alloc_live(void);
/* Route cJSON's allocations through vc_malloc/vc_free. Idempotent. */
void vc_alloc_init(void);

/* Zero memory in a way the optimiser keeps. */
void vc_wipe(void *ptr, size_t len);

#endif
