// Types the shim's JSDoc names (checked by `tsc -p shim`; nothing here is
// bundled). The module's side of each is in include/exports.h and
// include/host.h.

// Modules wrangler bundles that are not JavaScript: the C core, compiled.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

// What the C core exports (include/exports.h).
interface VcExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  vc_start(): number;
  vc_resume(task: number): number;
  vc_budget_serve(): number;
  vc_alloc_live(): number;
}

// A Worker's settings and bindings, as the C core reads them by name.
type VcEnv = Record<string, unknown>;

// What the C core keeps between requests (store_get / store_put).
type VcStore = Map<string, Uint8Array>;

// A started operation's result once settled: a status (a reply's HTTP status,
// or a negative status code), and for some operations headers, a body and
// (outbound calls) the milliseconds they took.
interface VcResult {
  status: number;
  headers?: Headers;
  body?: Uint8Array;
  ms?: number;
}

// The request an instance is serving.
interface VcCall {
  request: Request;
  env: VcEnv;
  response: Response | null;
  results: (VcResult | undefined)[];
  pending: Promise<void>[];
}

// A host import: integer arguments, an integer status (include/host.h).
type VcImport = (...args: number[]) => number;

// The budget's Durable Object namespace as host.js uses it (budget.js).
interface VcBudgetNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): { serve(message: Uint8Array): Promise<unknown> };
}
