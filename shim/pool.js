// Ready wasm instances. An instance serves one request at a time: a request
// suspended in C (JSPI) owns its instance's stack and heap until it returns.
import { createHost } from "./host.js";

export class InstancePool {
  constructor(module, { maxIdle = 16 } = {}) {
    this.module = module;
    this.maxIdle = maxIdle;
    this.idle = [];
    this.created = 0;
  }

  acquire() {
    return this.idle.pop() ?? this.create();
  }

  // Only an instance whose last call returned normally comes back; one that
  // trapped is dropped (its heap may be inconsistent).
  release(instance) {
    if (this.idle.length < this.maxIdle) this.idle.push(instance);
  }

  create() {
    const host = createHost();
    const instance = new WebAssembly.Instance(this.module, host.imports);
    host.attach(instance.exports.memory);
    instance.exports._initialize();
    this.created++;
    return {
      host,
      exports: instance.exports,
      handle: WebAssembly.promising(instance.exports.vc_handle),
    };
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
