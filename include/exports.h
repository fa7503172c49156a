/*
 * exports.h - every function the wasm module exports (besides `memory` and
 * `_initialize`). test/expected-abi.json lists them; a test compares.
 *
 * vc_handle: serve the current request (the host has bound it to this
 *   instance). Calls host_respond exactly once and returns its status.
 *   Suspends (JSPI) while the host reads the body or fetches.
 * vc_alloc_live: blocks allocated and not yet freed (see vc_alloc.h).
 */
#ifndef VC_EXPORTS_H
#define VC_EXPORTS_H

#include <stdint.h>

#if defined(__wasm__)
#define VC_EXPORT(name) __attribute__((export_name(name)))
#else
#define VC_EXPORT(name)
#endif

VC_EXPORT("vc_handle") int32_t vc_handle(void);
VC_EXPORT("vc_alloc_live") int32_t vc_alloc_live_export(void);

#endif
