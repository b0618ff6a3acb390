// Indexing with data-dependent positions: traced scalar indices (dynamic slices), integer
// array indexing (gather), np.take / takeAlongAxis, x.at(...) (scatter) and the lax
// dynamic-slice functions — eager, jit (code generation) and the interpreter, against a
// float64 reference written per case from NumPy's/JAX's documented rules (each case says
// where every output element comes from).

import { describe, expect, it } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";
import { EXACT, F32, MODES, expectClose, randomArray, runMode } from "../helpers/harness.js";
import { Ref, forEachIndex, size } from "../helpers/reference.js";

const i32 = (v: number | number[] | number[][]) => np.array(v as never, { dtype: "int32" });
const ints = (x: NDArray) => Array.from(x.dataSync());

/** A reference built element by element: `value(idx)` for every output index. */
function build(shape: readonly number[], value: (idx: number[]) => number, dtype: Ref["dtype"] = "float32"): Ref {
  const data = new Float64Array(size(shape));
  forEachIndex(shape, (idx, flat) => (data[flat] = value(idx)));
  return new Ref(shape, data, dtype);
}

const wrap = (i: number, n: number) => (i < 0 ? i + n : i);
const clampTo = (i: number, lo: number, hi: number) => Math.min(Math.max(i, lo), hi);

describe("traced scalar indices", () => {
  it("x.slice(i) inside lax.foriLoop reads row i (the loop from the issue)", () => {
    const rng = new Rng(1);
    const { x, ref } = randomArray(rng, [5, 3], "float32");
    const f = (x: NDArray) => lax.foriLoop(0, 5, (i, acc: NDArray) => acc.add(x.slice(i).mul(i)), np.zeros([3]));
    const want = build([3], ([j]) => Math.fround([0, 1, 2, 3, 4].reduce((s, i) => Math.fround(s + Math.fround(ref.at([i, j!]) * i)), 0)));
    for (const mode of ["jit", "interpreter"] as const) expectClose(runMode(mode, f, [x]), want, F32, mode);
  });

  it("clamps like JAX: negative counts from the end, then out-of-range clamps", () => {
    const rng = new Rng(2);
    const { x, ref } = randomArray(rng, [4, 3], "float32");
    for (const i of [-5, -4, -1, 0, 2, 3, 4, 100]) {
      const want = build([3], ([j]) => ref.at([clampTo(wrap(i, 4), 0, 3), j!]));
      for (const mode of MODES) expectClose(runMode(mode, (x, i) => x.slice(i), [x, i32(i)]), want, EXACT, `${mode} i=${i}`);
    }
  });

  it("mixes with static entries: x.slice(\":\", i, [1, 3]) and an ellipsis", () => {
    const rng = new Rng(3);
    const { x, ref } = randomArray(rng, [2, 5, 4], "float32");
    const want = build([2, 2], ([a, c]) => ref.at([a!, 3, c! + 1]));
    for (const mode of MODES) {
      expectClose(runMode(mode, (x, i) => x.slice(":", i, [1, 3]), [x, i32(3)]), want, EXACT, mode);
      expectClose(runMode(mode, (x, i) => x.slice("...", i), [x, i32(-2)]), build([2, 5], ([a, b]) => ref.at([a!, b!, 2])), EXACT, mode);
    }
  });

  it("fuses: a traced-index read feeding elementwise work is one loop kernel plus the index scalar", () => {
    const f = jit((x: NDArray, i: NDArray) => x.slice(i).mul(2).add(1));
    const text = f.lower(np.ones([4, 8]), i32(1)).asText("js");
    expect(text.match(/\/\/ kernel/g)).toHaveLength(2); // the clamped start (a scalar), then the fused loop
    expect(text).toContain("loop over [8]");
  });
});

describe("lax.dynamicSlice / dynamicUpdateSlice / dynamicIndexInDim", () => {
  it("dynamicSlice clamps the starts so the block fits", () => {
    const rng = new Rng(4);
    const { x, ref } = randomArray(rng, [6, 5], "float32");
    for (const [s0, s1] of [[0, 0], [2, 1], [5, 4], [-1, -3], [9, -9]] as const) {
      const st0 = clampTo(wrap(s0, 6), 0, 6 - 3), st1 = clampTo(wrap(s1, 5), 0, 5 - 2);
      const want = build([3, 2], ([a, b]) => ref.at([st0 + a!, st1 + b!]));
      for (const mode of MODES) {
        expectClose(runMode(mode, (x, a, b) => lax.dynamicSlice(x, [a, b], [3, 2]), [x, i32(s0), i32(s1)]), want, EXACT, `${mode} ${s0},${s1}`);
      }
      expectClose(lax.dynamicSlice(x, [s0, s1], [3, 2]), want, EXACT, `static ${s0},${s1}`);
    }
  });

  it("dynamicUpdateSlice writes the block at the clamped starts and leaves x unchanged", () => {
    const rng = new Rng(5);
    const { x, ref } = randomArray(rng, [5, 4], "float32");
    const { x: u, ref: uref } = randomArray(rng, [2, 3], "float32");
    for (const [s0, s1] of [[0, 0], [1, 1], [4, 3], [-1, 0]] as const) {
      const st0 = clampTo(wrap(s0, 5), 0, 3), st1 = clampTo(wrap(s1, 4), 0, 1);
      const want = build([5, 4], ([a, b]) => {
        const inside = a! >= st0 && a! < st0 + 2 && b! >= st1 && b! < st1 + 3;
        return inside ? uref.at([a! - st0, b! - st1]) : ref.at([a!, b!]);
      });
      for (const mode of MODES) {
        expectClose(runMode(mode, (x, u, a, b) => lax.dynamicUpdateSlice(x, u, [a, b]), [x, u, i32(s0), i32(s1)]), want, EXACT, `${mode} ${s0},${s1}`);
      }
    }
    expectClose(x, ref, EXACT, "x after the updates");
  });

  it("dynamicUpdateSlice in a foriLoop carry builds an array row by row", () => {
    const f = (x: NDArray) => lax.foriLoop(0, 4, (i, acc: NDArray) => lax.dynamicUpdateSlice(acc, x.slice(i).mul(10).reshape([1, 3]), [i, 0]), np.zeros([4, 3]));
    const rng = new Rng(6);
    const { x, ref } = randomArray(rng, [4, 3], "float32");
    const want = build([4, 3], ([a, b]) => Math.fround(ref.at([a!, b!]) * 10));
    for (const mode of ["jit", "interpreter"] as const) expectClose(runMode(mode, f, [x]), want, EXACT, mode);
  });

  it("dynamicIndexInDim keeps the axis by default (as JAX)", () => {
    const x = np.arange(12).reshape([3, 4]);
    expect(lax.dynamicIndexInDim(x, i32(2), 1).tolist()).toEqual([[2], [6], [10]]);
    expect(jit((x: NDArray, i: NDArray) => lax.dynamicIndexInDim(x, i, 0, { keepdims: false }))(x, i32(7)).tolist()).toEqual([8, 9, 10, 11]);
  });
});

describe("integer array indexing (gather)", () => {
  const rng = new Rng(7);
  const { x, ref } = randomArray(rng, [5, 6, 7], "float32");
  const a = [4, -1, 0, 2], b = [1, 5, -6, 3]; // in range after wrapping
  const A = i32(a), B = i32(b);
  const cases: { name: string; f: (x: NDArray, ...ix: NDArray[]) => NDArray; args: NDArray[]; shape: number[]; at: (o: number[]) => number[] }[] = [
    { name: "x[a]", f: (x, A) => x.slice(A!), args: [A], shape: [4, 6, 7], at: ([k, j, l]) => [wrap(a[k!]!, 5), j!, l!] },
    { name: "x[:, b]", f: (x, B) => x.slice(":", B!), args: [B], shape: [5, 4, 7], at: ([i, k, l]) => [i!, wrap(b[k!]!, 6), l!] },
    { name: "x[a, b] (adjacent: in place)", f: (x, A, B) => x.slice(A!, B!), args: [A, B], shape: [4, 7], at: ([k, l]) => [wrap(a[k!]!, 5), wrap(b[k!]!, 6), l!] },
    { name: "x[a, :, b] (separated: first)", f: (x, A, B) => x.slice(A!, ":", B!), args: [A, B], shape: [4, 6], at: ([k, j]) => [wrap(a[k!]!, 5), j!, wrap(b[k!]!, 7)] },
    { name: "x[1, :, b] (an int counts as advanced)", f: (x, B) => x.slice(1, ":", B!), args: [B], shape: [4, 6], at: ([k, j]) => [1, j!, wrap(b[k!]!, 7)] },
    { name: "x[:, [1,4], a[:,None]] broadcast", f: (x, A) => x.slice(":", i32([1, 4]), A!.reshape([4, 1])), args: [A], shape: [5, 4, 2],
      at: ([i, k, m]) => [i!, [1, 4][m!]!, wrap(a[k!]!, 7)] },
    { name: "x[[0,2], ::2, None, a]", f: (x, A) => x.slice(i32([[0], [2]]), [null, null, 2], null, A!), args: [A], shape: [2, 4, 3, 1],
      at: ([p, k, j]) => [[0, 2][p!]!, 2 * j!, wrap(a[k!]!, 7)] },
  ];
  for (const c of cases) {
    it(`${c.name} follows NumPy's rules (shape and values)`, () => {
      const want = build(c.shape, (o) => ref.at(c.at(o)));
      for (const mode of MODES) expectClose(runMode(mode, c.f, [x, ...c.args]), want, EXACT, `${c.name} ${mode}`);
    });
  }

  it("clamps out-of-range indices (JAX's gather default)", () => {
    const out = runMode("jit", (x, i) => x.slice(i), [np.arange(4), i32([-9, 9, 3])]);
    expect(ints(out)).toEqual([0, 3, 3]);
  });

  it("a gather feeding an elementwise chain is one kernel", () => {
    const f = jit((t: NDArray, ids: NDArray) => t.slice(ids).mul(2).exp());
    const text = f.lower(np.ones([50, 16]), i32([3, 1, 4])).asText("js");
    expect(text.match(/\/\/ kernel/g)).toHaveLength(1);
  });

  it("boolean masks select eagerly (NumPy)", () => {
    const y = np.arange(12).reshape([3, 4]);
    expect(ints(y.slice(np.greater(y, 8)))).toEqual([9, 10, 11]);
    expect(y.slice(np.array([true, false, true])).tolist()).toEqual([[0, 1, 2, 3], [8, 9, 10, 11]]);
    expect(y.slice(":", np.array([false, true, true, false])).tolist()).toEqual([[1, 2], [5, 6], [9, 10]]);
  });
});

describe("np.take / np.takeAlongAxis", () => {
  const rng = new Rng(8);
  const { x, ref } = randomArray(rng, [3, 5], "float32");
  it("take along an axis puts the index axes there", () => {
    const ix = [[4, 0], [-1, 2], [1, 1]];
    const want = build([3, 3, 2], ([i, p, q]) => ref.at([i!, wrap(ix[p!]![q!]!, 5)]));
    for (const mode of MODES) expectClose(runMode(mode, (x, k) => np.take(x, k, { axis: 1 }), [x, i32(ix)]), want, EXACT, mode);
  });

  it("take without an axis reads the flattened array; out of range clamps, or fills with mode \"fill\"", () => {
    const k = i32([0, 14, 15, -16, -15]);
    for (const mode of MODES) {
      expectClose(runMode(mode, (x, k) => np.take(x, k), [x, k]), build([5], ([p]) => ref.data[[0, 14, 14, 0, 0][p!]!]!), EXACT, mode);
      expectClose(runMode(mode, (x, k) => np.take(x, k, { mode: "fill" }), [x, k]),
        build([5], ([p]) => [ref.data[0]!, ref.data[14]!, NaN, NaN, ref.data[0]!][p!]!), EXACT, `${mode} fill`);
    }
    expect(ints(np.take(np.arange(3), i32([5, -1]), { mode: "fill" }))).toEqual([-2147483648, 2]);
  });

  it("takeAlongAxis (argsort-style) with broadcasting", () => {
    const ix = [[4, 0, 1], [2, 2, -1], [0, 3, 3]];
    const want = build([3, 3], ([i, j]) => ref.at([i!, wrap(ix[i!]![j!]!, 5)]));
    for (const mode of MODES) expectClose(runMode(mode, (x, k) => np.takeAlongAxis(x, k, 1), [x, i32(ix)]), want, EXACT, mode);
    const col = i32([[1, 0, 2, 2, 1]]); // broadcasts over the rows of axis 1
    const want0 = build([1, 5], ([, j]) => ref.at([[1, 0, 2, 2, 1][j!]!, j!]));
    for (const mode of MODES) expectClose(runMode(mode, (x, k) => np.takeAlongAxis(x, k, 0), [x, col]), want0, EXACT, mode);
  });
});

describe("x.at(...) functional updates (scatter)", () => {
  /** Sequential reference: each update in row-major order; out-of-range ones dropped. */
  function scatterRef(base: Ref, rows: readonly number[], upd: Ref, f: (old: number, v: number) => number): Ref {
    const data = Float64Array.from(base.data);
    const cols = base.shape[1]!;
    rows.forEach((r0, k) => {
      const r = wrap(r0, base.shape[0]!);
      if (r < 0 || r >= base.shape[0]!) return;
      for (let j = 0; j < cols; j++) data[r * cols + j] = f(data[r * cols + j]!, upd.at([k, j]));
    });
    return new Ref(base.shape, data, base.dtype);
  }
  const rng = new Rng(9);
  const { x, ref } = randomArray(rng, [4, 3], "float32");
  const rows = [1, 3, 1, -1, 7, -9, 1]; // duplicates, a negative one, two out of range
  const { x: u, ref: uref } = randomArray(rng, [rows.length, 3], "float32");
  const f32 = Math.fround;
  const ops = {
    set: (_: number, v: number) => v,
    add: (a: number, v: number) => f32(a + v),
    multiply: (a: number, v: number) => f32(a * v),
    min: Math.min,
    max: Math.max,
  } as const;
  for (const [name, f] of Object.entries(ops)) {
    it(`${name}: repeated indices apply in order, out-of-range updates are dropped, x is unchanged`, () => {
      const want = scatterRef(ref, rows, uref, f);
      for (const mode of MODES) {
        expectClose(runMode(mode, (x, k, u) => x.at(k)[name as keyof typeof ops](u), [x, i32(rows), u]), want, EXACT, `${name} ${mode}`);
      }
      expectClose(x, ref, EXACT, "x");
    });
  }

  it("mixed entries: x.at(traced i, [0, 2]).add(1) and a static slice", () => {
    const y = np.zeros([3, 4], { dtype: "int32" });
    const f = (y: NDArray, i: NDArray) => y.at(i, [0, 2]).add(1).at(":", 3).set(7);
    for (const mode of MODES) expect(runMode(mode, f, [y, i32(2)]).tolist(), mode).toEqual([[0, 0, 0, 7], [0, 0, 0, 7], [1, 1, 0, 7]]);
    expect(jit((y: NDArray) => y.at(1).get())(np.arange(6).reshape([2, 3])).tolist()).toEqual([3, 4, 5]);
  });

  it("whole axes beside index arrays: x.at(:, a).add(u) and x.at(a, :, b).add(u) (NumPy's update layout)", () => {
    const rng2 = new Rng(11);
    const { x: z, ref: zref } = randomArray(rng2, [3, 4, 5], "float32");
    const a = [1, -1, 1], b = [0, 4, 9]; // a repeat, a negative index, an out-of-range one
    const { x: u1, ref: u1ref } = randomArray(rng2, [3, 3, 5], "float32"); // (axis 0, a, axis 2)
    const want1 = Float64Array.from(zref.data);
    forEachIndex([3, 3, 5], ([i, k, l]) => {
      const j = wrap(a[k!]!, 4);
      const at = (i! * 4 + j) * 5 + l!;
      want1[at] = Math.fround(want1[at]! + u1ref.at([i!, k!, l!]));
    });
    const { x: u2, ref: u2ref } = randomArray(rng2, [3, 4], "float32"); // (a/b broadcast, axis 1): separated, so first
    const want2 = Float64Array.from(zref.data);
    for (let k = 0; k < 3; k++) for (let j = 0; j < 4; j++) {
      const i0 = wrap(a[k]!, 3), l = wrap(b[k]!, 5);
      if (l >= 5) continue;
      want2[(i0 * 4 + j) * 5 + l] = Math.fround(want2[(i0 * 4 + j) * 5 + l]! + u2ref.at([k, j]));
    }
    for (const mode of MODES) {
      expectClose(runMode(mode, (z, k, u) => z.at(":", k).add(u), [z, i32(a), u1]), new Ref([3, 4, 5], want1, "float32"), EXACT, `${mode} x.at(:, a)`);
      expectClose(runMode(mode, (z, k, m, u) => z.at(k, ":", m).add(u), [z, i32(a), i32(b), u2]), new Ref([3, 4, 5], want2, "float32"), EXACT, `${mode} x.at(a, :, b)`);
    }
  });

  it("a scatter-add histogram (many duplicates) matches counting", () => {
    const rng2 = new Rng(10);
    const bins = Array.from({ length: 500 }, () => rng2.int(0, 9));
    const counts = new Array(10).fill(0);
    for (const b of bins) counts[b]++;
    for (const mode of MODES) expect(ints(runMode(mode, (h, k) => h.at(k).add(1), [np.zeros([10], { dtype: "int32" }), i32(bins)])), mode).toEqual(counts);
  });
});
