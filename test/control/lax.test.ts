// lax control flow against plain-JS reference loops: eagerly, under jit, and through the
// interpreter that serves where code generation is forbidden.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jit, lax, makeJaxpr, np, type NDArray } from "tsjit";
import { forceInterpreter } from "../../runtime/backend/cpu/index.js";
import { expectClose, randomData } from "./helpers.js";

const modes = ["codegen", "interpreter"] as const;

for (const mode of modes) {
  describe(`lax (${mode})`, () => {
    beforeAll(() => forceInterpreter(mode === "interpreter" ? true : undefined));
    afterAll(() => forceInterpreter(undefined));

    describe("cond", () => {
      const f = (x: NDArray, p: NDArray) => lax.cond(p, (a: NDArray) => a.mul(2), (a: NDArray) => a.sub(1), x);
      const data = randomData(7, 1);

      it("picks the branch at run time, eagerly and under jit", () => {
        const x = np.array(data);
        const jf = jit(f);
        for (const p of [true, false]) {
          const expected = data.map((v) => (p ? v * 2 : v - 1));
          expectClose(f(x, np.array(p)), expected);
          expectClose(jf(x, np.array(p)), expected);
        }
        expect(jf.stats.compiles).toBe(1);
      });

      it("accepts numeric predicates (nonzero is true) and JS booleans", () => {
        const x = np.array([1, 2]);
        expectClose(f(x, np.array(3)), [2, 4]);
        expectClose(f(x, np.array(0)), [0, 1]);
        expectClose(lax.cond(false, (a: NDArray) => a.mul(2), (a: NDArray) => a.add(5), x), [6, 7]);
      });

      it("passes pytrees through and captures outer values", () => {
        const w = np.array([10, 20]);
        const g = jit((p: NDArray, ops: { a: NDArray; b: NDArray }, scale: NDArray) =>
          lax.cond(p,
            ({ a, b }: { a: NDArray; b: NDArray }) => ({ sum: a.add(b).mul(scale), w: w.add(a) }),
            ({ a, b }: { a: NDArray; b: NDArray }) => ({ sum: a.sub(b), w }),
            ops));
        const ops = { a: np.array([1, 2]), b: np.array([3, 5]) };
        const t = g(np.array(true), ops, np.array(2));
        expectClose(t.sum, [8, 14]);
        expectClose(t.w, [11, 22]);
        const f2 = g(np.array(false), ops, np.array(2));
        expectClose(f2.sum, [-2, -3]);
        expectClose(f2.w, [10, 20]);
      });

      it("prints like JAX, with both branches", () => {
        const text = String(makeJaxpr(f)(np.array([1, 2, 3]), np.array(true)));
        expect(text).toContain("cond[\n      branches=(\n        { lambda ; d:f32[3]. let e:f32[3] = sub d 1.0:f32[] in (e,) }");
        expect(text).toContain("{ lambda ; f:f32[3]. let g:f32[3] = mul f 2.0:f32[] in (g,) }");
        expect(text).toMatch(/\] c a\n  in \(h,\) \}$/);
      });
    });

    describe("switch", () => {
      const branches = [(a: NDArray) => a.add(1), (a: NDArray) => a.mul(10), (a: NDArray) => a.neg()];
      const sw = jit((i: NDArray, x: NDArray) => lax.switch(i, branches, x));
      it("clamps the index into range", () => {
        const x = np.array([1, 2]);
        const expected: Record<number, number[]> = { [-3]: [2, 3], 0: [2, 3], 1: [10, 20], 2: [-1, -2], 7: [-1, -2] };
        for (const [i, want] of Object.entries(expected)) expectClose(sw(np.array(Number(i), { dtype: "int32" }), x), want);
        expect(sw.stats.compiles).toBe(1);
      });
      it("calls a single branch directly", () => {
        expectClose(lax.switch(np.array(5, { dtype: "int32" }), [(a: NDArray) => a.add(1)], np.array([1])), [2]);
      });
    });

    describe("select", () => {
      it("chooses elementwise", () => {
        const out = lax.select(np.array([true, false, true]), np.array([1, 2, 3]), np.array([7, 8, 9]));
        expectClose(out, [1, 8, 3]);
      });
    });

    describe("whileLoop", () => {
      it("runs Newton's iteration for sqrt like a JS loop", () => {
        const data = randomData(9, 2, 0.5, 50);
        const newton = jit((a: NDArray) =>
          lax.whileLoop(
            ({ i }: { x: NDArray; i: NDArray }) => i.lt(25),
            ({ x, i }: { x: NDArray; i: NDArray }) => ({ x: x.add(a.div(x)).mul(0.5), i: i.add(1) }),
            { x: a, i: 0 },
          ).x);
        expectClose(newton(np.array(data)), data.map(Math.sqrt));
      });

      it("stops on a data-dependent condition", () => {
        // Collatz steps for 27 (111 steps), all in int32.
        const collatz = jit((n: NDArray) =>
          lax.whileLoop(
            ([v]: [NDArray, NDArray]) => v.ne(1),
            ([v, k]: [NDArray, NDArray]) => [np.where(np.mod(v, 2).eq(0), np.floorDivide(v, 2), v.mul(3).add(1)), k.add(1)] as [NDArray, NDArray],
            [n, np.array(0, { dtype: "int32" })],
          )[1]);
        let v = 27, k = 0;
        while (v !== 1) { v = v % 2 === 0 ? v / 2 : 3 * v + 1; k++; }
        expect(collatz(np.array(27, { dtype: "int32" })).item()).toBe(k);
      });

      it("promotes a weakly typed initial carry to the body's dtype", () => {
        const out = lax.whileLoop((c: NDArray) => c.lt(1), (c: NDArray) => c.add(0.25), 0);
        expect(out.dtype).toBe("float32");
        expect(out.item()).toBe(1);
      });
    });

    describe("foriLoop", () => {
      it("sums like a JS loop with static bounds", () => {
        const out = lax.foriLoop(0, 100, (i: NDArray, s: NDArray) => s.add(i.mul(i)), 0);
        let ref = 0;
        for (let i = 0; i < 100; i++) ref += i * i;
        expect(out.item()).toBe(ref);
      });

      it("runs 10,000 steps over a 1k carry", () => {
        const data = randomData(1000, 3);
        const f = jit((x: NDArray) => lax.foriLoop(0, 10000, (_i: NDArray, v: NDArray) => v.mul(0.999).add(0.001), x));
        const ref = Float32Array.from(data);
        for (let t = 0; t < 10000; t++) for (let i = 0; i < ref.length; i++) ref[i] = ref[i]! * Math.fround(0.999) + Math.fround(0.001);
        expectClose(f(np.array(data)), Array.from(ref), 1e-4, 1e-5);
      });

      it("takes traced bounds (a while loop)", () => {
        const f = jit((n: NDArray) => lax.foriLoop(2, n, (i: NDArray, acc: NDArray) => acc.add(i), np.array(0, { dtype: "int32" })));
        expect(f(np.array(10, { dtype: "int32" })).item()).toBe(2 + 3 + 4 + 5 + 6 + 7 + 8 + 9);
        expect(f(np.array(1, { dtype: "int32" })).item()).toBe(0);
        expect(f.stats.compiles).toBe(1);
      });
    });

    describe("scan", () => {
      const data = randomData(12, 4);
      const cumsum = (c: NDArray, x: NDArray) => { const n = c.add(x); return [n, n] as const; };

      it("computes a cumulative sum with stacked outputs", () => {
        const xs = np.array(data).reshape(6, 2);
        const [last, ys] = jit((v: NDArray) => lax.scan(cumsum, np.zeros([2]), v))(xs);
        const ref: number[] = [];
        const acc = [0, 0];
        for (let t = 0; t < 6; t++) for (let j = 0; j < 2; j++) ref.push((acc[j]! += data[t * 2 + j]!));
        expectClose(ys, [0, 1, 2, 3, 4, 5].map((t) => ref.slice(t * 2, t * 2 + 2)));
        expectClose(last, acc);
        expect(ys.shape).toEqual([6, 2]);
      });

      it("iterates in reverse and keeps ys in index order", () => {
        const xs = np.array([1, 2, 3, 4]);
        const [last, ys] = lax.scan(cumsum, 0, xs, { reverse: true });
        expectClose(ys, [10, 9, 7, 4]);
        expect(last.item()).toBe(10);
      });

      it("scans pytrees, with null ys and a length-only form", () => {
        const xs = { a: np.array([1, 2, 3]), b: np.array([[1, 1], [2, 2], [3, 3]]) };
        const [c, ys] = lax.scan((carry: { s: NDArray }, x: { a: NDArray; b: NDArray }) => [{ s: carry.s.add(x.b.mul(x.a)) }, null] as const, { s: np.zeros([2]) }, xs);
        expectClose(c.s, [14, 14]);
        expect(ys).toBeNull();
        const [n] = lax.scan((k: NDArray) => [k.add(2), null] as const, 0, null, { length: 5 });
        expect(n.item()).toBe(10);
      });

      it("nests: a cond inside a scan inside jit", () => {
        const clippedSum = jit((xs: NDArray) =>
          lax.scan((c: NDArray, x: NDArray) => {
            const n = lax.cond(x.gt(0), (a: NDArray) => c.add(a), () => c, x);
            return [n, n.gt(3)] as const;
          }, 0.0, xs));
        const [total, flags] = clippedSum(np.array([1, -5, 2, -1, 4]));
        expect(total.item()).toBe(7);
        expect(flags.tolist()).toEqual([false, false, false, false, true]);
      });

      it("nests loops: a scan inside a scan", () => {
        const xs = np.array(data).reshape(3, 4);
        const rowSums = jit((m: NDArray) => lax.scan((c: NDArray, row: NDArray) => {
          const [s] = lax.scan((a: NDArray, v: NDArray) => [a.add(v), null] as const, 0.0, row);
          return [c.add(s), s] as const;
        }, 0.0, m));
        const [total, sums] = rowSums(xs);
        const ref = [0, 1, 2].map((r) => data.slice(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0));
        expectClose(sums, ref);
        expectClose(total, ref.reduce((a, b) => a + b, 0));
      });

      it("handles zero-length scans", () => {
        const [c, ys] = lax.scan(cumsum, np.ones([2]), np.zeros([0, 2]));
        expectClose(c, [1, 1]);
        expect(ys.shape).toEqual([0, 2]);
      });
    });

    describe("map", () => {
      it("maps over the leading axis", () => {
        const out = jit((xs: NDArray) => lax.map((r: NDArray) => r.sum(), xs))(np.array([[1, 2], [3, 4], [5, 6]]));
        expectClose(out, [3, 7, 11]);
      });
    });
  });
}

describe("loops are compiled, never unrolled", () => {
  const body = (_i: NDArray, v: NDArray) => v.mul(0.5).add(1);
  it("a 10,000-step foriLoop is one scan equation", () => {
    const text = String(makeJaxpr((x: NDArray) => lax.foriLoop(0, 10000, body, x))(np.ones([3])));
    expect(text.match(/scan\[/g)).toHaveLength(1);
    expect(text).toContain("length=10000");
  });

  it("generates the same code for 10 and 10,000 steps", () => {
    const src = (n: number) => jit((x: NDArray) => lax.foriLoop(0, n, body, x)).lower(np.ones([3])).asText("js");
    const a = src(10), b = src(10000);
    expect(b.replace("10000", "10")).toBe(a);
    expect(a).toMatch(/for \(let t\d+ = 0; t\d+ < 10; t\d+\+\+\)/);
  });
});
