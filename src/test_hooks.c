/* test_hooks.c - routes that fail on purpose, compiled only into
 * build/vc-test.wasm (-DVC_TEST_HOOKS) for the tests of the shim's recovery
 * from a trap. The deployed module (build/vc.wasm) has none of this. */
#include "handlers.h"

#ifdef VC_TEST_HOOKS
#include "host.h"

int handle_test_trap(const vc_request *req, vc_response *res) {
    (void)req, (void)res;
    __builtin_trap();
}

/* Runs once the body has been read (api_step calls prepare then). */
static int trap_after_read(api_call *c, const vc_request *req) {
    (void)c, (void)req;
    __builtin_trap();
}

const api_spec test_trap_after_read_spec = {.allow_empty = 1, .prepare = trap_after_read};
#else
typedef int vc_test_hooks_unused; /* ISO C wants a translation unit to declare something */
#endif
