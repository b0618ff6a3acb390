// Prebuilt entries in tests: specialize, check which backends got an entry, and evaluate the
// entries' source as the emitted module would; and the small MLP the backend tests prebuild.

import { expect } from "vitest";
import { np, type NDArray } from "tsjit";
import { LeafSpec, specialize, type SpecializeRequest } from "../../runtime/specialize/specialize.js";
import type { PrebuiltKernel } from "../../runtime/jit/prebuilt.js";

/** The entries' source, one per requested backend (all of them must have one). */
export function entrySources(req: SpecializeRequest): string[] {
  const s = specialize(req);
  if (!s.ok) throw new Error(s.reason);
  expect(s.entries.map((e) => e.backend)).toEqual(req.backends);
  return s.entries.map((e) => e.code);
}

/** Entries' source evaluated, as a module carrying them would. */
export function evaluateEntries(codes: readonly string[]): PrebuiltKernel[] {
  return new Function(`return [${codes.join(",\n")}];`)() as PrebuiltKernel[];
}

export const f32 = (...shape: (number | string)[]) => new LeafSpec("float32", shape);

/** An MLP layer with a captured constant (its bias) and a static activation. */
const bias = np.array([0.5, -0.25, 0.125]);
export const mlp = (x: NDArray, w: NDArray, act: "relu" | "tanh") => {
  const h = np.matmul(x, w).add(bias);
  return act === "relu" ? np.maximum(h, 0).sum(-1) : np.tanh(h).sum(-1);
};
export const mlpArgs = () => [np.sin(np.arange(8).astype("float32")).reshape(2, 4), np.cos(np.arange(12).astype("float32")).reshape(4, 3)] as const;

/** The MLP's entries for `act` on `backends`, for x: f32[2,4] and w: f32[4,3]. */
export function mlpEntries(act: "relu" | "tanh", backends: readonly string[]): PrebuiltKernel[] {
  return evaluateEntries(entrySources({ fn: mlp, name: "mlp", params: ["x", "w", "act"], staticPositions: new Set([2]), args: [f32(2, 4), f32(4, 3), act], backends }));
}
