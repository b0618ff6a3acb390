// The CPU codegen copies contiguous gathered rows, and plain contiguous copies, as blocks
// (out.set(src.subarray(...)));
// every variant is checked against a float64 JS reference, including the ones that must
// stay element loops (short rows, strided sources, a consumer fused after the gather).

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";

const V = 40, D = 48;
const data = Float32Array.from({ length: V * D }, (_, i) => Math.sin(i) * 100);
const table = np.array(data).reshape([V, D]);
const idList = [3, 0, 39, -1, 17, 3, -40, 22];
const ids = np.array(idList, { dtype: "int32" });
const row = (i: number) => (i < 0 ? i + V : i);

function ref(rowsOf: (r: number) => number[]): number[] {
  return idList.flatMap((i) => rowsOf(row(i)));
}
const full = (r: number) => Array.from(data.subarray(r * D, r * D + D));
const list = (x: NDArray) => Array.from(x.dataSync() as Float32Array);

describe("gathered rows as block copies", () => {
  it("x[ids] copies whole rows (one .set per row in the generated code)", () => {
    const f = jit((t: NDArray, i: NDArray) => t.slice(i));
    expect(list(f(table, ids))).toEqual(ref(full));
    expect(f.lower(table, ids).asText("js")).toContain(".set(b");
  });

  it("rows of a slice, 2-D index arrays and take along axis 0", () => {
    const f = jit((t: NDArray, i: NDArray) => t.slice(i, [5, 45]));
    expect(list(f(table, ids))).toEqual(ref((r) => full(r).slice(5, 45)));
    const ids2 = ids.reshape([2, 4]);
    const g = jit((t: NDArray, i: NDArray) => np.take(t, i, { axis: 0 }));
    const out = g(table, ids2);
    expect(out.shape).toEqual([2, 4, D]);
    expect(list(out)).toEqual(ref(full));
  });

  it("stays a correct element loop where rows are not contiguous or short, or the gather is fused", () => {
    const tT = jit((t: NDArray, i: NDArray) => t.T.slice(i));
    const colsOf = (c: number) => Array.from({ length: V }, (_, r) => data[r * D + c]!);
    const cid = np.array([5, 47, 0], { dtype: "int32" });
    expect(list(tT(table, cid))).toEqual([5, 47, 0].flatMap(colsOf));
    const stepped = jit((t: NDArray, i: NDArray) => t.slice(i, [null, null, 2]));
    expect(list(stepped(table, ids))).toEqual(ref((r) => full(r).filter((_, j) => j % 2 === 0)));
    const short = np.array(data.subarray(0, V * 4)).reshape([V, 4]);
    const s = jit((t: NDArray, i: NDArray) => t.slice(i));
    expect(list(s(short, ids))).toEqual(idList.flatMap((i) => Array.from(data.subarray(row(i) * 4, row(i) * 4 + 4))));
    expect(s.lower(short, ids).asText("js")).not.toContain(".set(b");
    const fused = jit((t: NDArray, i: NDArray) => t.slice(i).mul(2));
    expect(list(fused(table, ids))).toEqual(ref(full).map((v) => Math.fround(v * 2)));
    const cols = jit((t: NDArray, i: NDArray) => t.slice(":", i));
    expect(list(cols(table, np.array([1, 2], { dtype: "int32" })))).toEqual(Array.from({ length: V }, (_, r) => [data[r * D + 1]!, data[r * D + 2]!]).flat());
  });

  it("int32 and bool tables copy exactly", () => {
    const it32 = np.arange(V * D).reshape([V, D]);
    expect(Array.from(jit((t: NDArray, i: NDArray) => t.slice(i))(it32, ids).dataSync())).toEqual(idList.flatMap((i) => Array.from({ length: D }, (_, j) => row(i) * D + j)));
    const b = np.greater(table, 0);
    expect(Array.from(jit((t: NDArray, i: NDArray) => t.slice(i))(b, ids).dataSync())).toEqual(ref(full).map((v) => (v > 0 ? 1 : 0)));
  });

  it("plain copies: concatenate's parts and a scatter's copy of its operand", () => {
    const cat = jit((t: NDArray) => np.concatenate([t, t.slice([2, 5])], 0));
    const out = cat(table);
    expect(out.shape).toEqual([V + 3, D]);
    expect(list(out)).toEqual([...Array.from(data), ...Array.from(data.subarray(2 * D, 5 * D))]);
    expect(cat.lower(table).asText("js")).toContain(".set(b");
    const cols = jit((t: NDArray) => np.concatenate([t.slice(":", [0, 20]), t.slice(":", [30, 48])], 1));
    expect(list(cols(table))).toEqual(Array.from({ length: V }, (_, r) => [...full(r).slice(0, 20), ...full(r).slice(30, 48)]).flat());
    const upd = jit((t: NDArray, i: NDArray) => t.at(i).add(1));
    const want = Array.from(data);
    for (const i of idList) for (let j = 0; j < D; j++) want[row(i) * D + j] = Math.fround(want[row(i) * D + j]! + 1);
    expect(list(upd(table, ids))).toEqual(want);
    expect(list(table)).toEqual(Array.from(data)); // never mutates its operand
  });
});
