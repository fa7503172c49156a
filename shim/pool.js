// Ready wasm instances. An instance serves one request at a time: its heap
// holds the request's task (include/task.h) from vc_start until a call
// returns 0, so the next request gets another instance meanwhile.
import { createHost } from "./host.js";

/** @typedef {{ host: ReturnType<typeof createHost>, exports: VcExports }} Instance */

export class InstancePool {
  /** @param {WebAssembly.Module} module @param {{ maxIdle?: number }} [options] */
  constructor(module, { maxIdle = 64 } = {}) {
    this.module = module;
    /** @type {VcStore} */
    this.store = new Map(); // what the C code keeps between requests (host.js)
    this.maxIdle = maxIdle;
    /** @type {Instance[]} */
    this.idle = [];
    this.created = 0;
  }

  /** @returns {Instance} */
  acquire() {
    return this.idle.pop() ?? this.create();
  }

  // Only an instance whose last call returned normally comes back; one that
  // trapped is dropped (its heap may be inconsistent).
  /** @param {Instance} instance */
  release(instance) {
    if (this.idle.length < this.maxIdle) this.idle.push(instance);
  }

  /** @returns {Instance} */
  create() {
    const host = createHost(this.store);
    const exports = /** @type {VcExports} */ (/** @type {unknown} */ (new WebAssembly.Instance(this.module, host.imports).exports));
    host.attach(exports.memory);
    exports._initialize();
    this.created++;
    return { host, exports };
  }

  // For tests and benchmarks: what the idle instances hold.
  stats() {
    return {
      created: this.created,
      idle: this.idle.length,
      memoryBytes: this.idle.reduce((sum, i) => sum + i.exports.memory.buffer.byteLength, 0),
      liveAllocations: this.idle.reduce((sum, i) => sum + i.exports.vc_alloc_live(), 0),
    };
  }
}
