// The functions the prebuilt benchmark specializes: the MLP and a row softmax, with the
// input specs a build would read from their parameter types.

import { np, type NDArray } from "../runtime/index.js";
import type { cpuRuntime, KernelFactory } from "../runtime/backend/cpu/index.js";
import type { TypedArray } from "../runtime/dtype.js";
import type { PrebuiltKernel } from "../runtime/jit/prebuilt.js";
import { LeafSpec, type SpecTree } from "../runtime/specialize/specialize.js";
import { tsArray, uniform } from "./data.js";
import { BATCH, HIDDEN, IN, mlpData, mlpForward, OUT } from "./mlp-model.js";

export function softmax(x: NDArray): NDArray {
  const e = np.exp(x.sub(x.max(-1, { keepdims: true })));
  return e.div(e.sum(-1, { keepdims: true }));
}

export interface Model {
  readonly fn: (...args: NDArray[]) => NDArray;
  readonly params: readonly string[];
  /** As a parameter annotation would give them: sizes a build cannot know are named. */
  readonly specs: readonly SpecTree[];
  readonly args: () => NDArray[];
}

const f32 = (shape: (number | string)[]) => new LeafSpec("float32", shape);

export const models = {
  mlp: {
    fn: mlpForward,
    params: ["x", "w1", "b1", "w2", "b2"],
    specs: [f32(["batch", IN]), f32([IN, HIDDEN]), f32([HIDDEN]), f32([HIDDEN, OUT]), f32([OUT])],
    args: () => {
      const d = mlpData();
      return [tsArray(d.x, [BATCH, IN]), tsArray(d.w1, [IN, HIDDEN]), tsArray(d.b1, [HIDDEN]), tsArray(d.w2, [HIDDEN, OUT]), tsArray(d.b2, [OUT])];
    },
  },
  softmax: {
    fn: softmax,
    params: ["x"],
    specs: [f32(["rows", "cols"])],
    args: () => [tsArray(uniform(1024 * 1024, 41, -4, 4), [1024, 1024])],
  },
} satisfies Record<string, Model>;

/** The cpu entry `p` with its kernel wrapped: `onStart(performance.now())` as each run of it starts. */
export function timedKernel(p: PrebuiltKernel, onStart: (t: number) => void): PrebuiltKernel {
  const { kernel } = p.payload as { kernel: KernelFactory };
  return {
    ...p,
    payload: {
      kernel: (rt: typeof cpuRuntime, consts: readonly TypedArray[]) => {
        const run = kernel(rt, consts);
        return (a: readonly unknown[], d?: Readonly<Record<string, number>>) => {
          onStart(performance.now());
          return run(a, d);
        };
      },
    },
  };
}
