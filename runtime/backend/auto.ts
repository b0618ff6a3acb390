// The "auto" backend choice (setBackend("auto"), TSJIT_BACKEND=auto): each jitted program
// without a `backend` option runs on cpu or wasm, decided once when it is compiled, from
// what the bench shows (bench/README.md § Backends):
//
// - wasm when the program has a matmul (dot_general): the packed SIMD kernel is several
//   times the generated JavaScript's speed at every size worth a jit;
// - wasm when an equation reads or writes an array of at least AUTO_WASM_ELEMENTS elements:
//   from there SIMD elementwise and reduction kernels repay wasm's higher per-call cost
//   (copying small inputs into wasm memory, the JS-to-wasm call);
// - cpu otherwise: for tiny programs the call overhead dominates, and cpu's is the lowest.
//
// wasm is chosen only where it can run: WebAssembly with SIMD, and allowed to compile (a
// page whose Content-Security-Policy lacks 'wasm-unsafe-eval' keeps to cpu).

import type { Jaxpr } from "../ir/jaxpr.js";
import type { Backend } from "./backend.js";
import { backendFor, hasBackend } from "./registry.js";
import { wasmCompileAllowed } from "./wasm/index.js";

/** Elements from which an array's work goes to wasm (16 KiB of float32). */
export const AUTO_WASM_ELEMENTS = 4096;

/** Why `jaxpr` prefers wasm ("matmul", "large"), or undefined for cpu. */
export function wasmReason(jaxpr: Jaxpr): "matmul" | "large" | undefined {
  let large = false;
  const big = (a: { readonly aval: { readonly size: unknown } }) => {
    const n = a.aval.size;
    return typeof n !== "number" || n >= AUTO_WASM_ELEMENTS;
  };
  const seen = new Set<Jaxpr>();
  const visit = (j: Jaxpr): boolean => {
    if (seen.has(j)) return false;
    seen.add(j);
    for (const v of j.invars) if (big(v)) large = true;
    for (const e of j.eqns) {
      if (e.primitive.name === "dot_general") return true;
      if (!large && e.primitive.kind !== "view" && (e.outputs.some(big) || e.inputs.some(big))) large = true;
      // Control flow: the bodies' programs (params holding a Jaxpr or a ClosedJaxpr).
      for (const p of Object.values(e.params)) {
        const sub = subJaxpr(p);
        if (sub && visit(sub)) return true;
        if (Array.isArray(p)) for (const q of p) { const s = subJaxpr(q); if (s && visit(s)) return true; }
      }
    }
    return false;
  };
  if (visit(jaxpr)) return "matmul";
  return large ? "large" : undefined;
}

function subJaxpr(p: unknown): Jaxpr | undefined {
  if (p === null || typeof p !== "object") return undefined;
  if ("eqns" in p && "invars" in p) return p as Jaxpr;
  const inner = (p as { jaxpr?: unknown }).jaxpr;
  return inner !== null && typeof inner === "object" && "eqns" in inner ? (inner as Jaxpr) : undefined;
}

/** The backend the "auto" choice gives `jaxpr`. */
export function autoBackendFor(jaxpr: Jaxpr): Backend {
  if (wasmReason(jaxpr) !== undefined && hasBackend("wasm") && wasmCompileAllowed()) return backendFor("wasm");
  return backendFor("cpu");
}
