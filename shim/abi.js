// Status codes shared with include/host.h (test/worker/abi.test.js keeps them in step).
export const OK = 0;
export const E_NOTFOUND = -1;
export const E_INVALID = -2;
export const E_TOOBIG = -3;
export const E_TIMEOUT = -4;
export const E_NETWORK = -5;
export const E_HOST = -6;
export const E_NOMEM = -7;
export const E_BADHANDLE = -8;
export const E_PENDING = -9;
