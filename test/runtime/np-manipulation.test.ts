// The shape operations added to np (split, arraySplit, unstack, pad, tile, repeat, flip,
// roll, moveaxis, the stacks, meshgrid, tril/triu, diagonal, diag, trace) and the creation
// functions identity/tri/logspace/geomspace, against float64 references written here
// element by element (index maps, NumPy's iterative padding), on random shapes and dtypes,
// in every mode; their gradients and vmap; and the errors for bad arguments.

import { describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, ShapeError, grad, jit, np, vmap, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";
import { MODES, checkAllModes, expectClose, randomArray, randomShape, runMode } from "../helpers/harness.js";
import { Ref, forEachIndex, fromValues, size, type RDType } from "../helpers/reference.js";
import { caught } from "../helpers/errors.js";

const DTYPES: RDType[] = ["float32", "int32", "bool"];

/** out[idx] = f(idx) over `shape`. */
function build(shape: readonly number[], dtype: RDType, f: (idx: readonly number[]) => number): Ref {
  const values = new Float64Array(size(shape));
  forEachIndex(shape, (idx, flat) => (values[flat] = f(idx)));
  return fromValues(shape, values, dtype);
}

const withAxis = (idx: readonly number[], axis: number, v: number) => idx.map((d, i) => (i === axis ? v : d));

function nonEmpty(rng: Rng, maxRank = 3): number[] {
  const s = randomShape(rng, { maxRank, dims: [1, 2, 3, 4, 5] });
  return s.length === 0 ? [rng.int(1, 4)] : s;
}

describe("split / arraySplit / unstack", () => {
  it("split into sections and at indices, arraySplit unevenly, unstack along any axis", () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 12; trial++) {
      const shape = nonEmpty(rng);
      const dtype = rng.pick(DTYPES);
      const { x, ref } = randomArray(rng, shape, dtype);
      const axis = rng.int(-shape.length, shape.length - 1);
      const ax = axis < 0 ? axis + shape.length : axis;
      const n = shape[ax]!;
      const k = rng.int(1, 4);
      // Reference boundaries: arraySplit gives the first n % k parts one more element.
      const counts = Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
      const indices = [rng.int(-n, n), rng.int(0, n + 1)];
      const cuts: [number, number][] = [];
      let lo = 0;
      for (const b of [...indices, n]) {
        const c = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
        cuts.push([c(lo), Math.max(c(b), c(lo))]);
        lo = b;
      }
      const part = (from: number, len: number) => build(withAxis(shape, ax, len), dtype, (idx) => ref.at(withAxis(idx, ax, idx[ax]! + from)));
      for (const mode of MODES) {
        const parts = runMode(mode, (a) => np.arraySplit(a, k, axis) as never, [x]) as unknown as NDArray[];
        expect(parts.length).toBe(k);
        let at = 0;
        parts.forEach((p, i) => { expectClose(p, part(at, counts[i]!), undefined, `arraySplit ${mode} part ${i}`); at += counts[i]!; });
        const byIndex = runMode(mode, (a) => np.split(a, indices, axis) as never, [x]) as unknown as NDArray[];
        byIndex.forEach((p, i) => expectClose(p, part(cuts[i]![0], cuts[i]![1] - cuts[i]![0]), undefined, `split at ${indices} ${mode} part ${i}`));
        if (n % k === 0) {
          const even = runMode(mode, (a) => np.split(a, k, axis) as never, [x]) as unknown as NDArray[];
          even.forEach((p, i) => expectClose(p, part(i * (n / k), n / k), undefined, `split ${k} ${mode}`));
        }
        const rows = runMode(mode, (a) => np.unstack(a, axis) as never, [x]) as unknown as NDArray[];
        expect(rows.length).toBe(n);
        rows.forEach((r, i) => expectClose(r, build(shape.filter((_, d) => d !== ax), dtype, (idx) => ref.at([...idx.slice(0, ax), i, ...idx.slice(ax)])), undefined, `unstack ${mode}`));
      }
    }
  });

  it("reject uneven sections, bad section counts and 0-d arrays", () => {
    const x = np.arange(6);
    expect(caught(() => np.split(x, 4))).toBeInstanceOf(ShapeError);
    expect(caught(() => np.split(x, 4)).message).toMatch(/np\.split.*size 6.*4 equal.*arraySplit/s);
    expect(caught(() => np.arraySplit(x, 0))).toBeInstanceOf(ArgumentError);
    expect(caught(() => np.split(x, [1.5]))).toBeInstanceOf(ArgumentError);
    expect(caught(() => np.split(np.array(1), 1))).toBeInstanceOf(ShapeError);
    expect(caught(() => np.split(x, 2, 1)).message).toMatch(/axis 1 is out of bounds/);
    expect(caught(() => jit((a: NDArray, i: NDArray) => np.split(a, i)[0]!)(x, np.array([2], { dtype: "int32" }))).message).toMatch(/traced array.*JS array/s);
  });
});

// NumPy's pad, iteratively as numpy/lib/_arraypad_impl.py does it (each round mirrors or
// copies at most one period of what is already there), one 1-D line at a time.
function padLine(v: number[], before: number, after: number, mode: string, cval: number, integer: boolean): number[] {
  const n = v.length;
  const fill = (c: number) => [...Array(before).fill(c), ...v, ...Array(after).fill(c)];
  if (mode === "constant") return fill(cval);
  if (mode === "empty") return fill(0);
  if (mode === "maximum") return fill(Math.max(...v));
  if (mode === "minimum") return fill(Math.min(...v));
  if (mode === "mean") {
    const m = v.reduce((acc, t) => acc + t, 0) / n;
    // NumPy rounds an integer mean half to even.
    const r = Math.round(m);
    return fill(integer ? (Math.abs(m % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r) : m);
  }
  if (mode === "edge") return [...Array(before).fill(v[0]), ...v, ...Array(after).fill(v[n - 1])];
  let c = [...v];
  let left = before, right = after, start = 0; // start: where the original block begins in c
  while (left > 0) {
    let chunk: number[];
    if (mode === "reflect") { const k = Math.min(left, Math.max(n - 1, 1)); chunk = n === 1 ? Array(k).fill(c[0]) : c.slice(1, k + 1).reverse(); }
    else if (mode === "symmetric") { const k = Math.min(left, n); chunk = c.slice(0, k).reverse(); }
    else { const k = Math.min(left, n); chunk = c.slice(start + n - k, start + n); }
    c = [...chunk, ...c];
    start += chunk.length;
    left -= chunk.length;
  }
  while (right > 0) {
    const L = c.length;
    let chunk: number[];
    if (mode === "reflect") { const k = Math.min(right, Math.max(n - 1, 1)); chunk = n === 1 ? Array(k).fill(c[L - 1]) : c.slice(L - 1 - k, L - 1).reverse(); }
    else if (mode === "symmetric") { const k = Math.min(right, n); chunk = c.slice(L - k, L).reverse(); }
    else { const k = Math.min(right, n); chunk = c.slice(start, start + k); }
    c = [...c, ...chunk];
    right -= chunk.length;
  }
  return c;
}

function refPad(x: Ref, widths: [number, number][], mode: string, cval: number): Ref {
  let cur = x;
  widths.forEach(([b, a], ax) => {
    const shape = cur.shape.map((d, i) => (i === ax ? d + b + a : d));
    const src = cur;
    const lines = new Map<string, number[]>();
    cur = build(shape, x.dtype, (idx) => {
      const key = idx.map((d, i) => (i === ax ? "*" : d)).join(",");
      let line = lines.get(key);
      if (!line) {
        const v = Array.from({ length: src.shape[ax]! }, (_, j) => src.at(withAxis(idx, ax, j)));
        lines.set(key, (line = padLine(v, b, a, mode, cval, x.dtype !== "float32")));
      }
      return line[idx[ax]!]!;
    });
  });
  return cur;
}

describe("pad", () => {
  it("constant/edge/reflect/symmetric/wrap/maximum/minimum/mean/empty with per-axis widths, wider than the axis too", () => {
    const rng = new Rng(22);
    for (const mode of ["constant", "edge", "reflect", "symmetric", "wrap", "maximum", "minimum", "mean", "empty"] as const) {
      for (let trial = 0; trial < 5; trial++) {
        const shape = nonEmpty(rng, 3);
        const dtype = rng.pick(mode === "mean" ? ["float32", "int32"] as RDType[] : DTYPES);
        const { x, ref } = randomArray(rng, shape, dtype);
        const widths = shape.map(() => [rng.int(0, 7), rng.int(0, 7)] as [number, number]);
        const cval = dtype === "bool" ? 1 : dtype === "int32" ? rng.int(-3, 3) : 2.5;
        const opts = mode === "constant" ? { mode, constantValues: dtype === "bool" ? true : cval } : { mode };
        checkAllModes((a) => np.pad(a, widths, opts), [x], refPad(ref, widths, mode, cval), undefined, `${mode} ${JSON.stringify(widths)} ${dtype}[${shape}]`);
      }
    }
  });

  it("accepts a single width, a [before, after] pair and a mode string; a traced fill value", () => {
    const rng = new Rng(23);
    const { x, ref } = randomArray(rng, [3, 2], "float32");
    checkAllModes((a) => np.pad(a, 2), [x], refPad(ref, [[2, 2], [2, 2]], "constant", 0));
    checkAllModes((a) => np.pad(a, [1, 3], "wrap"), [x], refPad(ref, [[1, 3], [1, 3]], "wrap", 0));
    checkAllModes((a) => np.pad(a, [[0, 2]], "reflect"), [x], refPad(ref, [[0, 2], [0, 2]], "reflect", 0));
    const v = np.array(-7);
    checkAllModes((a, c) => np.pad(a, [[1, 0], [0, 1]], { constantValues: c }), [x, v], refPad(ref, [[1, 0], [0, 1]], "constant", -7));
    // An empty axis pads with constants.
    expectClose(np.pad(np.zeros([0]), [2, 1]), fromValues([3], [0, 0, 0], "float32"));
  });

  it("rejects negative widths, unknown modes, wrong width lists, empty axes in mirror modes", () => {
    const x = np.ones([2, 3]);
    expect(caught(() => np.pad(x, -1))).toBeInstanceOf(ArgumentError);
    expect(caught(() => np.pad(x, -1)).message).toMatch(/negative width/);
    expect(caught(() => np.pad(x, 1, { mode: "median" as never })).message).toMatch(/mode "median" is not supported/);
    expect(caught(() => np.pad(x, [[1, 1], [1, 1], [1, 1]])).message).toMatch(/one pair per axis \(2\)/);
    expect(caught(() => np.pad(np.zeros([0, 2]), 1, "reflect"))).toBeInstanceOf(ShapeError);
    expect(caught(() => np.pad(x, 1, { mode: "edge", constantValues: 1 })).message).toMatch(/constantValues only applies/);
    expect(caught(() => np.pad(x, 1, { constantValues: np.ones([2]) }))).toBeInstanceOf(ShapeError);
  });
});

describe("tile / repeat / flip / roll / moveaxis", () => {
  it("match index-map references on random shapes", () => {
    const rng = new Rng(33);
    for (let trial = 0; trial < 10; trial++) {
      const shape = randomShape(rng, { maxRank: 3, dims: [0, 1, 2, 3, 4] });
      const dtype = rng.pick(DTYPES);
      const { x, ref } = randomArray(rng, shape, dtype);
      const rank = shape.length;
      const ctx = `${dtype}[${shape}]`;

      const reps = Array.from({ length: rng.int(0, 3) }, () => rng.int(0, 3));
      const r = Math.max(rank, reps.length);
      const xs = [...Array(r - rank).fill(1), ...shape], rs = [...Array(r - reps.length).fill(1), ...reps];
      checkAllModes((a) => np.tile(a, reps), [x], build(xs.map((d, i) => d * rs[i]!), dtype, (idx) => ref.data[xsFlat(xs, idx.map((v, i) => v % xs[i]!))]!), undefined, `tile ${reps} ${ctx}`);

      if (rank > 0) {
        const axis = rng.int(0, rank - 1);
        const n = shape[axis]!;
        const per = Array.from({ length: n }, () => rng.int(0, 3));
        const src: number[] = per.flatMap((c, i) => Array(c).fill(i));
        checkAllModes((a) => np.repeat(a, per, axis), [x], build(withAxis(shape, axis, src.length), dtype, (idx) => ref.at(withAxis(idx, axis, src[idx[axis]!]!))), undefined, `repeat ${per} ${ctx}`);
        const k = rng.int(0, 3);
        checkAllModes((a) => np.repeat(a, k, axis), [x], build(withAxis(shape, axis, n * k), dtype, (idx) => ref.at(withAxis(idx, axis, Math.floor(idx[axis]! / k)))), undefined, `repeat ${k} ${ctx}`);

        checkAllModes((a) => np.flip(a, axis), [x], build(shape, dtype, (idx) => ref.at(withAxis(idx, axis, n - 1 - idx[axis]!))), undefined, `flip ${axis} ${ctx}`);
        const shift = rng.int(-9, 9);
        const rolled = build(shape, dtype, (idx) => ref.at(withAxis(idx, axis, (((idx[axis]! - shift) % n) + n) % n)));
        checkAllModes((a) => np.roll(a, shift, axis), [x], rolled, undefined, `roll ${shift} ${axis} ${ctx}`);
        checkAllModes((a, s) => np.roll(a, s!, axis), [x, np.array(shift, { dtype: "int32" })], rolled, undefined, `traced roll ${shift} ${ctx}`);

        const dest = rng.int(-rank, rank - 1);
        const order = [...Array(rank).keys()].filter((d) => d !== axis);
        order.splice(dest < 0 ? dest + rank : dest, 0, axis); // order[j] = the source axis of result axis j
        checkAllModes((a) => np.moveaxis(a, axis, dest), [x], build(order.map((d) => shape[d]!), dtype, (idx) => {
          const src2 = new Array<number>(rank);
          order.forEach((d, j) => (src2[d] = idx[j]!));
          return ref.at(src2);
        }), undefined, `moveaxis ${axis}→${dest} ${ctx}`);
      }
      checkAllModes((a) => np.flip(a), [x], build(shape, dtype, (idx) => ref.at(idx.map((v, i) => shape[i]! - 1 - v))), undefined, `flip all ${ctx}`);
      const total = size(shape), s = rng.int(-5, 5);
      if (total > 0) {
        checkAllModes((a) => np.roll(a, s), [x], fromValues(shape, Array.from({ length: total }, (_, i) => ref.data[(((i - s) % total) + total) % total]!), dtype), undefined, `roll flat ${s} ${ctx}`);
      }
    }
  });

  it("roll with several axes, repeat of the flattened array, fliplr/flipud", () => {
    const rng = new Rng(34);
    const { x, ref } = randomArray(rng, [3, 4], "float32");
    checkAllModes((a) => np.roll(a, [1, -1], [0, 1]), [x], build([3, 4], "float32", ([i, j]) => ref.at([(i! + 2) % 3, (j! + 1) % 4])));
    checkAllModes((a) => np.repeat(a, 2), [x], fromValues([24], Array.from({ length: 24 }, (_, i) => ref.data[i >> 1]!), "float32"));
    checkAllModes((a) => np.fliplr(a), [x], build([3, 4], "float32", ([i, j]) => ref.at([i!, 3 - j!])));
    checkAllModes((a) => np.flipud(a), [x], build([3, 4], "float32", ([i, j]) => ref.at([2 - i!, j!])));
  });

  it("repeat with totalRepeatLength takes traced repeats (JAX's total_repeat_length)", () => {
    const x = np.array([[1, 2, 3], [4, 5, 6]]);
    const reps = np.array([2, 0, 3], { dtype: "int32" });
    // Columns 0,0,2,2,2 then the last repeated (length 7) or cut (length 3).
    const want = (cols: number[]) => fromValues([2, cols.length], [0, 1].flatMap((i) => cols.map((c) => [1, 2, 3, 4, 5, 6][i * 3 + c]!)), "float32");
    checkAllModes((a, r) => np.repeat(a, r!, 1, { totalRepeatLength: 5 }), [x, reps], want([0, 0, 2, 2, 2]));
    checkAllModes((a, r) => np.repeat(a, r!, 1, { totalRepeatLength: 7 }), [x, reps], want([0, 0, 2, 2, 2, 2, 2]));
    checkAllModes((a, r) => np.repeat(a, r!, 1, { totalRepeatLength: 3 }), [x, reps], want([0, 0, 2]));
    checkAllModes((a) => np.repeat(a, 2, 0, { totalRepeatLength: 3 }), [x], fromValues([3, 3], [1, 2, 3, 1, 2, 3, 4, 5, 6], "float32"));
    expect(np.repeat(x, reps, 1, { totalRepeatLength: 0 }).shape).toEqual([2, 0]);
    expect(caught(() => np.repeat(x, np.array([1, 2]), 1, { totalRepeatLength: 3 }))).toBeInstanceOf(DTypeError);
    expect(caught(() => np.repeat(x, np.array([1, 2], { dtype: "int32" }), 1, { totalRepeatLength: 3 })).message).toMatch(/do not match axis 1 of size 3/);
    expect(caught(() => np.repeat(x, reps, 1, { totalRepeatLength: -1 }))).toBeInstanceOf(ArgumentError);
  });

  it("differentiate and batch (composites of gather/concatenate/slices)", () => {
    const rng = new Rng(35);
    const { x } = randomArray(rng, [4, 3], "float32");
    const { x: w } = randomArray(rng, [9, 5], "float32");
    // d/dx sum(w ⊙ pad(x)) = the reflect-padding's transpose applied to w: check by finite differences.
    const f = (a: NDArray) => np.sum(np.multiply(np.pad(np.roll(np.flip(a, 0), 1, 1), [[2, 3], [1, 1]], "reflect"), w));
    const g = grad(f)(x).dataSync();
    const x0 = Array.from(x.dataSync());
    for (let i = 0; i < 12; i++) {
      const h = 1e-2;
      const up = [...x0], dn = [...x0];
      up[i]! += h; dn[i]! -= h;
      const fd = (f(np.array(up).reshape([4, 3])).item() - f(np.array(dn).reshape([4, 3])).item()) / (2 * h);
      expect(Math.abs(g[i]! - fd)).toBeLessThan(2e-2 * (1 + Math.abs(fd)));
    }
    const fb = (a: NDArray) => np.tile(np.roll(np.flip(a), 2), 2);
    const batched = vmap(fb)(x).dataSync();
    const stacked = np.stack(np.unstack(x).map(fb)).dataSync();
    expect(Array.from(batched)).toEqual(Array.from(stacked));
  });

  it("reject bad reps, repeats, shifts and axes", () => {
    const x = np.ones([2, 3]);
    expect(caught(() => np.tile(x, [-1]))).toBeInstanceOf(ArgumentError);
    expect(caught(() => np.repeat(x, [1, 2], 1)).message).toMatch(/repeats has 2 entries but axis 1 has size 3/);
    expect(caught(() => np.repeat(x, -1))).toBeInstanceOf(ArgumentError);
    expect(caught(() => np.repeat(x, np.array([1.5, 1, 1]), 1))).toBeInstanceOf(DTypeError);
    expect(caught(() => jit((a: NDArray, r: NDArray) => np.repeat(a, r, 1))(x, np.array([1, 1, 1], { dtype: "int32" }))).message).toMatch(/traced array/);
    expect(caught(() => np.roll(x, 1.5, 0))).toBeInstanceOf(ArgumentError);
    expect(caught(() => np.roll(x, np.array(1.5), 0)).message).toMatch(/int32 scalar/);
    expect(caught(() => np.roll(x, np.array(1.5), 0))).toBeInstanceOf(DTypeError);
    expect(caught(() => np.roll(x, np.array([1, 2], { dtype: "int32" }), 0))).toBeInstanceOf(ShapeError);
    expect(caught(() => np.roll(x, [1, 2, 3], [0, 1])).message).toMatch(/3 shifts do not match 2 axes/);
    expect(caught(() => np.flip(x, 2)).message).toMatch(/axis 2 is out of bounds/);
    expect(caught(() => np.moveaxis(x, [0, 1], [0])).message).toMatch(/same number of axes/);
    expect(caught(() => np.moveaxis(x, [0, 0], [0, 1]))).toBeInstanceOf(ShapeError);
    expect(caught(() => np.fliplr(np.ones([3])))).toBeInstanceOf(ShapeError);
  });
});

function xsFlat(shape: readonly number[], idx: readonly number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * shape[d]! + idx[d]!;
  return off;
}

describe("stacks and meshgrid", () => {
  it("hstack/vstack/dstack/columnStack of 0-d, 1-d and 2-d inputs", () => {
    const a = np.array([1, 2, 3]), b = np.array([4, 5, 6]), m = np.array([[1, 2], [3, 4]]);
    const cases: [string, () => NDArray, number[], number[]][] = [
      ["hstack 1-d", () => np.hstack([a, b]), [6], [1, 2, 3, 4, 5, 6]],
      ["hstack 0-d", () => np.hstack([np.array(1), np.array(2)]), [2], [1, 2]],
      ["hstack 2-d", () => np.hstack([m, m]), [2, 4], [1, 2, 1, 2, 3, 4, 3, 4]],
      ["vstack 1-d", () => np.vstack([a, b]), [2, 3], [1, 2, 3, 4, 5, 6]],
      ["vstack 2-d", () => np.vstack([m, m]), [4, 2], [1, 2, 3, 4, 1, 2, 3, 4]],
      ["dstack 1-d", () => np.dstack([a, b]), [1, 3, 2], [1, 4, 2, 5, 3, 6]],
      ["dstack 2-d", () => np.dstack([m, m]), [2, 2, 2], [1, 1, 2, 2, 3, 3, 4, 4]],
      ["columnStack", () => np.columnStack([a, b]), [3, 2], [1, 4, 2, 5, 3, 6]],
      ["columnStack 2-d", () => np.columnStack([a, np.array([[7, 8], [9, 10], [11, 12]])]), [3, 3], [1, 7, 8, 2, 9, 10, 3, 11, 12]],
      ["atleast3d", () => np.atleast3d(m), [2, 2, 1], [1, 2, 3, 4]],
    ];
    for (const [name, f, shape, values] of cases) {
      for (const mode of MODES) expectClose(runMode(mode, f, []), fromValues(shape, values, "float32"), undefined, `${name} ${mode}`);
    }
    expect(caught(() => np.vstack([]))).toBeInstanceOf(ArgumentError);
    expect(caught(() => np.hstack([m, a]))).toBeInstanceOf(ShapeError);
  });

  it("meshgrid xy and ij over 1 to 3 vectors", () => {
    const rng = new Rng(44);
    for (const k of [1, 2, 3]) {
      const vs = Array.from({ length: k }, () => randomArray(rng, [rng.int(1, 4)], "float32"));
      const sizes = vs.map((v) => v.ref.shape[0]!);
      for (const indexing of ["xy", "ij"] as const) {
        const swap = indexing === "xy" && k >= 2;
        const shape = swap ? [sizes[1]!, sizes[0]!, ...sizes.slice(2)] : sizes;
        for (const mode of MODES) {
          const out = runMode(mode, (...xs) => np.meshgrid(...xs, { indexing }) as never, vs.map((v) => v.x)) as unknown as NDArray[];
          out.forEach((o, i) => expectClose(o, build(shape, "float32", (idx) => vs[i]!.ref.data[idx[swap && i < 2 ? 1 - i : i]!]!), undefined, `${indexing} ${mode} ${i}`));
        }
      }
    }
    expect(caught(() => np.meshgrid(np.ones([2, 2]))).message).toMatch(/argument 0 must be 1-D/);
    expect(caught(() => np.meshgrid(np.ones([2]), { indexing: "xyz" as never }))).toBeInstanceOf(ArgumentError);
  });
});

describe("tril / triu / diagonal / diag / trace", () => {
  it("match element-wise references with offsets and axes", () => {
    const rng = new Rng(55);
    for (let trial = 0; trial < 10; trial++) {
      const shape = [rng.int(0, 4), rng.int(0, 5), ...(rng.bool() ? [rng.int(1, 3)] : [])];
      const dtype = rng.pick(DTYPES);
      const { x, ref } = randomArray(rng, shape, dtype);
      const k = rng.int(-3, 3);
      const ctx = `${dtype}[${shape}] k=${k}`;
      const r = shape.length;
      checkAllModes((a) => np.tril(a, k), [x], build(shape, dtype, (idx) => (idx[r - 1]! - idx[r - 2]! <= k ? ref.at(idx) : 0)), undefined, `tril ${ctx}`);
      checkAllModes((a) => np.triu(a, k), [x], build(shape, dtype, (idx) => (idx[r - 1]! - idx[r - 2]! >= k ? ref.at(idx) : 0)), undefined, `triu ${ctx}`);
      const a1 = rng.int(0, r - 1);
      let a2 = rng.int(0, r - 1);
      if (a2 === a1) a2 = (a1 + 1) % r;
      const n = shape[a1]!, m = shape[a2]!;
      const len = Math.max(0, Math.min(k >= 0 ? n : n + k, k >= 0 ? m - k : m));
      const rest = [...Array(r).keys()].filter((d) => d !== a1 && d !== a2);
      const diagRef = build([...rest.map((d) => shape[d]!), len], dtype, (idx) => {
        const src = new Array<number>(r);
        rest.forEach((d, j) => (src[d] = idx[j]!));
        const t = idx[idx.length - 1]!;
        src[a1] = k >= 0 ? t : t - k;
        src[a2] = k >= 0 ? t + k : t;
        return ref.at(src);
      });
      checkAllModes((a) => np.diagonal(a, k, a1, a2), [x], diagRef, undefined, `diagonal axes ${a1},${a2} ${ctx}`);
      const sumDtype: RDType = dtype === "float32" ? "float32" : "int32";
      const traceRef = build(diagRef.shape.slice(0, -1), sumDtype, (idx) => {
        let s = 0;
        for (let t = 0; t < len; t++) s += diagRef.at([...idx, t]);
        return s;
      });
      checkAllModes((a) => np.trace(a, k, a1, a2), [x], traceRef, undefined, `trace ${ctx}`);
    }
  });

  it("diag builds a matrix from a vector and reads one back", () => {
    const rng = new Rng(56);
    for (const k of [-2, -1, 0, 1, 3]) {
      const { x, ref } = randomArray(rng, [3], "float32");
      const n = 3 + Math.abs(k);
      const mat = build([n, n], "float32", ([i, j]) => (j! - i! === k ? ref.data[k >= 0 ? i! : j!]! : 0));
      checkAllModes((a) => np.diag(a, k), [x], mat, undefined, `diag k=${k}`);
      checkAllModes((a) => np.diag(np.diag(a, k), k), [x], ref, undefined, `diag∘diag k=${k}`);
    }
  });

  it("reject 1-D inputs, equal axes and 3-D diag", () => {
    expect(caught(() => np.tril(np.ones([3])))).toBeInstanceOf(ShapeError);
    expect(caught(() => np.tril(np.ones([3]))).message).toMatch(/np\.tril: needs an array of at least 2 dimensions/);
    expect(caught(() => np.diagonal(np.ones([2, 2]), 0, 1, -1)).message).toMatch(/axis1 and axis2 must differ/);
    expect(caught(() => np.diagonal(np.ones([2, 2]), 0.5))).toBeInstanceOf(ArgumentError);
    expect(caught(() => np.diag(np.ones([2, 2, 2]))).message).toMatch(/1-D or 2-D/);
    expect(caught(() => np.trace(np.ones([2, 2]), 0, 0, 2)).message).toMatch(/out of bounds/);
  });
});

describe("identity / tri / logspace / geomspace", () => {
  it("match float64 references", () => {
    const tol = { rtol: 2e-6, atol: 0 };
    for (const mode of MODES) {
      expectClose(runMode(mode, () => np.identity(3, { dtype: "int32" }), []), build([3, 3], "int32", ([i, j]) => +(i === j)));
      expectClose(runMode(mode, () => np.tri(3, 5, 1), []), build([3, 5], "float32", ([i, j]) => +(j! <= i! + 1)));
      expectClose(runMode(mode, () => np.tri(4), []), build([4, 4], "float32", ([i, j]) => +(j! <= i!)));
      expectClose(runMode(mode, () => np.eye(3, 4, -1), []), build([3, 4], "float32", ([i, j]) => +(j! === i! - 1)));
      expectClose(runMode(mode, () => np.eye(2, null, 1, { dtype: "int32" }), []), build([2, 2], "int32", ([i, j]) => +(j! === i! + 1)));
      expectClose(runMode(mode, () => np.logspace(-2, 3, 11), []), fromValues([11], Array.from({ length: 11 }, (_, i) => 10 ** (-2 + i / 2)), "float32"), tol);
      expectClose(runMode(mode, () => np.logspace(0, 5, 5, { base: 2, endpoint: false }), []), fromValues([5], [1, 2, 4, 8, 16], "float32"), tol);
      expectClose(runMode(mode, () => np.geomspace(3, 3 * 4 ** 6, 7), []), fromValues([7], Array.from({ length: 7 }, (_, i) => 3 * 4 ** i), "float32"), tol);
      expectClose(runMode(mode, () => np.geomspace(-1000, -1, 4), []), fromValues([4], [-1000, -100, -10, -1], "float32"), tol);
      expectClose(runMode(mode, () => np.geomspace(1, 16, 4, { endpoint: false }), []), fromValues([4], [1, 2, 4, 8], "float32"), tol);
    }
    // Endpoints are exact.
    const g = np.geomspace(0.3, 7.7, 9).dataSync();
    expect([g[0], g[8]]).toEqual([Math.fround(0.3), Math.fround(7.7)]);
  });

  it("reject zero or sign-changing geomspace bounds and bad sizes", () => {
    expect(caught(() => np.geomspace(0, 1, 3)).message).toMatch(/nonzero/);
    expect(caught(() => np.geomspace(-1, 1, 3)).message).toMatch(/same sign/);
    expect(caught(() => np.identity(-1))).toBeInstanceOf(ShapeError);
    expect(caught(() => np.tri(2, 2, 0.5))).toBeInstanceOf(ArgumentError);
    expect(caught(() => np.eye(2, 2, 0.5))).toBeInstanceOf(ArgumentError);
    expect(caught(() => np.logspace(0, 1, -1))).toBeInstanceOf(ArgumentError);
  });
});
