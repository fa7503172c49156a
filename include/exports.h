/*
 * exports.h - every function the wasm module exports (besides `memory` and
 * `_initialize`). test/expected-abi.json lists them; a test compares.
 *
 * vc_start: begin serving the request the host has bound to this instance.
 *   Returns 0 when the request has been answered (host_respond was called
 *   exactly once), or a task handle: the request waits on host operations it
 *   started (see task.h). The host settles every one of them, then calls
 *   vc_resume(task), which returns the same way. The host must not bind
 *   another request to the instance until a call has returned 0.
 * vc_resume: the next step of a task returned by vc_start or vc_resume. A
 *   handle that names no live task is answered with 500 INTERNAL_ERROR.
 * vc_budget_serve: the budget's Durable Object serves one message: it reads
 *   the object's "state" and the "message" from the host's store, writes the
 *   new "state" and the "answer" there (budget.h), and returns VC_OK, or
 *   VC_E_INVALID for a message that is not one. An instance that serves the
 *   object is never bound to a request.
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

/* A task handle: the task's address, so an i32 in the wasm module (and a
 * native pointer's width in the native tests). 0 means "answered". */
typedef uintptr_t vc_task_handle;

VC_EXPORT("vc_start") vc_task_handle vc_start(void);
VC_EXPORT("vc_resume") vc_task_handle vc_resume(vc_task_handle task);
VC_EXPORT("vc_budget_serve") int32_t vc_budget_serve(void);
VC_EXPORT("vc_alloc_live") int32_t vc_alloc_live_export(void);

#endif
