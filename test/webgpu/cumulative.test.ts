// Cumulative folds on webgpu (a Hillis–Steele scan, ⌈log2 n⌉ passes) against the float64
// reference of test/helpers/cumulative-reference.ts: every op, forward and reverse, each
// axis, int wrap, NaN, a row longer than one workgroup, inside a loop (operand at a
// loop-dependent offset) and in a cond branch (guarded kernels).

import { describe, expect, it } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { expectCumulative, refCumulative, type CumOp } from "../helpers/cumulative-reference.js";
import { Rng } from "../helpers/prng.js";

const gpu = <F extends (...a: never[]) => unknown>(f: F) => jit(f, { backend: "webgpu" });
const LAX: Record<CumOp, (x: NDArray, axis?: number, reverse?: boolean) => NDArray> = { sum: lax.cumsum, prod: lax.cumprod, max: lax.cummax, min: lax.cummin };
const data = async (a: NDArray): Promise<number[]> => Array.from((await a.data()) as ArrayLike<number>, Number);

describe.runIf(webgpuAvailable)("webgpu cumulative folds vs a float64 reference", { timeout: 300_000 }, () => {
  it("every op, axis and direction, float32 (with NaN) and int32 (wrapping)", async () => {
    const r = new Rng(5);
    const shape = [3, 5, 2];
    const f = Array.from({ length: 30 }, (_, k) => (k === 7 ? NaN : Math.fround(r.uniform(0.5, 1.5))));
    const i = Array.from({ length: 30 }, () => r.int(-2147483648, 2147483647));
    for (const op of ["sum", "prod", "max", "min"] as const) {
      for (const [axis, reverse] of [[0, false], [1, true], [2, false], [-2, false]] as const) {
        const [fo, io] = gpu((x: NDArray, y: NDArray) => [LAX[op](x, axis, reverse), LAX[op](y, axis, reverse)])(np.array(f).reshape(shape), np.array(i, { dtype: "int32" }).reshape(shape));
        const ax = axis < 0 ? axis + 3 : axis;
        let [w, e] = refCumulative(f, shape, ax, op, reverse, "float32");
        expectCumulative(await data(fo!), w, e, `float32 cum${op} axis ${axis}`);
        [w, e] = refCumulative(i, shape, ax, op, reverse, "int32");
        expectCumulative(await data(io!), w, e, `int32 cum${op} axis ${axis}`);
      }
    }
  });

  it("rows longer than one workgroup (and not a power of two), uint32, bool cumsum", async () => {
    const r = new Rng(6);
    const v = Array.from({ length: 2 * 333 }, () => Math.fround(r.uniform(-2, 2)));
    for (const reverse of [false, true]) {
      const [w, e] = refCumulative(v, [2, 333], 1, "sum", reverse, "float32");
      expectCumulative(await data(gpu((x: NDArray) => lax.cumsum(x, 1, reverse))(np.array(v).reshape(2, 333)) as NDArray), w, e, `sum reverse ${reverse}`);
    }
    const u = Array.from({ length: 200 }, () => r.int(0, 4294967295));
    const [w, e] = refCumulative(u, [200], 0, "sum", false, "uint32");
    expectCumulative(await data(gpu((x: NDArray) => np.cumsum(x))(np.array(u, { dtype: "uint32" })) as NDArray), w, e, "uint32");
    const b = gpu((x: NDArray) => np.cumsum(x.gt(0)))(np.array(v.slice(0, 100))) as NDArray;
    expect(b.dtype).toBe("int32");
    expect(await data(b)).toEqual(refCumulative(v.slice(0, 100).map((q) => (q > 0 ? 1 : 0)), [100], 0, "sum", false, "int32")[0]);
  });

  it("inside lax.scan (a row at a loop-dependent offset) and in a cond branch", async () => {
    const m = np.arange(12).astype("float32").reshape(3, 4);
    const scanned = gpu((m: NDArray) => lax.scan((c: NDArray, row: NDArray) => [c.add(1), np.cumsum(row)] as const, np.zeros([]), m)[1])(m) as NDArray;
    expect(await data(scanned)).toEqual([0, 1, 3, 6, 4, 9, 15, 22, 8, 17, 27, 38]);
    const branch = gpu((m: NDArray, p: NDArray) => lax.cond(p, (x: NDArray) => lax.cummax(x, 0, true), (x: NDArray) => x, m));
    expect(await data(branch(m, np.array(true)) as NDArray)).toEqual([8, 9, 10, 11, 8, 9, 10, 11, 8, 9, 10, 11]);
    expect(await data(branch(m, np.array(false)) as NDArray)).toEqual(Array.from({ length: 12 }, (_, k) => k));
  });
});
