// Loop carries and weak types (JAX's carry check ignores weakness; weak inputs are
// promoted), and how carry errors and errors inside loop bodies name the user's code.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forceInterpreter } from "../../runtime/backend/cpu/index.js";
import { ConcretizationTypeError, jit, lax, makeJaxpr, np, ShapeError, type NDArray } from "tsjit";
import { caught } from "../helpers/errors.js";
import { expectClose as expectRef } from "../helpers/harness.js";
import { fromValues } from "../helpers/reference.js";

/** A float32 result of `shape` close to `values` (dtype, shape and NaN checked). */
const expectClose = (x: NDArray, values: number[], shape: number[] = values.length === 1 ? [] : [values.length]) =>
  expectRef(x, fromValues(shape, values, "float32"));

for (const mode of ["codegen", "interpreter"] as const) {
  describe(`a carry that differs only in weak type (${mode})`, () => {
    beforeAll(() => forceInterpreter(mode === "interpreter" ? true : undefined));
    afterAll(() => forceInterpreter(undefined));

    it("enters strong and comes back weak (foriLoop): the loop keeps the strong type", () => {
      const f = jit((x0: number) => lax.foriLoop(0, 3, (_i, _c) => np.asarray(x0), np.asarray(1)));
      const out = f(2);
      expect([out.dtype, out.weakType, out.item()]).toEqual(["float32", false, 2]);
    });

    it("a Newton iteration in whileLoop over { x: asarray(x0), dx: asarray(1) }", () => {
      const newton = jit((x0: number) =>
        lax.whileLoop(
          (c) => c.dx.abs().gt(1e-6),
          (c) => {
            const dx = c.x.mul(c.x).sub(2).div(c.x.mul(2));
            return { x: c.x.sub(dx), dx };
          },
          { x: np.asarray(x0), dx: np.asarray(1) },
        ));
      const r = newton(1);
      expectClose(r.x, [Math.SQRT2]);
      // x stays weak (it starts from the weak x0 and only meets weak values, as in JAX); dx entered strong.
      expect([r.x.weakType, r.dx.weakType]).toEqual([true, false]);
    });

    it("enters weak and comes back strong (scan, eager and jit): the carry becomes strong", () => {
      const step = (c: NDArray, x: NDArray) => [c.add(x), c] as const;
      const run = (c0: number) => lax.scan(step, c0, np.array([1, 2, 3]));
      const jrun = jit(run);
      for (const [carry, ys] of [run(0.5), jrun(0.5)]) {
        expect([carry.dtype, carry.weakType]).toEqual(["float32", false]);
        expectClose(carry, [6.5]);
        expectClose(ys, [0.5, 1.5, 3.5]);
      }
      expect(makeJaxpr(run)(0.5).toString()).toContain("scan");
    });

    it("a weak int carry adopts the body's float dtype (JAX promotes weak inputs)", () => {
      const out = lax.foriLoop(0, 4, (_i, c) => c.add(np.array(0.5)), 0);
      expect([out.dtype, out.weakType]).toEqual(["float32", false]);
      expectClose(out, [2]);
    });

    it("traced bounds (the while form of foriLoop) settle the same way", () => {
      const f = jit((n: NDArray, x0: number) => lax.foriLoop(0, n, (_i, _c) => np.asarray(x0).mul(2), np.array(1)));
      const out = f(np.array(3, { dtype: "int32" }), 2);
      expect(out.weakType).toBe(false);
      expectClose(out, [4]);
    });
  });
}

describe("a carry whose type really changes", () => {
  it("names lax.foriLoop, the user's carry parameter and both types with the weak flag; no hidden counter", () => {
    const f = jit((x0: number) => lax.foriLoop(0, 3, (_i, c) => np.asarray(x0), np.zeros([2])));
    const e = caught(() => f(2));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/^lax\.foriLoop: the body function must return the carry/);
    expect(e.message).toContain("the carry component 'c' enters as f32[2] and is returned as f32[]{weak_type=True} (the shapes differ)");
    expect(e.message).toContain("carry in:  (c: f32[2])");
    expect(e.message).not.toContain("lax.scan");
    expect(e.message).not.toContain("[0]");
  });

  it("names object carry components by the body's parameter (c.x), or 'carry' when destructured", () => {
    const body = (c: { x: NDArray; n: NDArray }) => ({ x: c.x.astype("int32"), n: c.n });
    const e = caught(() => lax.whileLoop((c) => c.n.lt(3), body, { x: np.zeros([2]), n: np.array(0) }));
    expect(e.message).toMatch(/^lax\.whileLoop: the body function 'body' must return/);
    expect(e.message).toContain("'c.x' enters as f32[2] and is returned as i32[2] (the dtypes differ)");
    const destructured = caught(() => lax.foriLoop(0, 2, (_i, { x, y }: { x: NDArray; y: NDArray }) => ({ x, y: y.sum() }), { x: np.zeros([1]), y: np.zeros([2]) }));
    expect(destructured.message).toContain("'carry.y' enters as f32[2] and is returned as f32[]");
  });

  it("a structure change in a foriLoop body shows only the user's carry", () => {
    const e = caught(() => lax.foriLoop(0, 2, ((_i: NDArray, c: NDArray[]) => [c[0]!]) as never, [np.zeros([1]), np.zeros([1])]));
    expect(e.message).toContain("lax.foriLoop: the carry going into and coming out of the body function must have the same structure, got [·,·] and [·]");
  });

  it("names rest parameters by index, and falls back to the API's names for bound functions", () => {
    const viaRest = caught(() => lax.scan(((...args: NDArray[]) => [args[0]!.reshape(1, 1), null]) as never, np.zeros([1]), np.ones([2])));
    expect(viaRest.message).toContain("'args[0]' enters as f32[1]");
    const bound = caught(() => lax.foriLoop(0, 2, function (this: unknown, _i: NDArray, c: NDArray) { return c.sum(); }.bind(null), np.zeros([2])));
    expect(bound.message).toContain("lax.foriLoop: the body function must return the carry");
    expect(bound.message).toContain("'carry' enters as f32[2] and is returned as f32[]");
  });

  it("scan names list components by index under the carry parameter", () => {
    const e = caught(() => lax.scan((acc: [NDArray, NDArray], x: NDArray) => [[acc[0], acc[1].reshape(1, 2)], x] as [[NDArray, NDArray], NDArray], [np.zeros([1]), np.zeros([2])], np.ones([3])));
    expect(e.message).toContain("lax.scan: the body function must return the carry");
    expect(e.message).toContain("'acc[1]' enters as f32[2] and is returned as f32[1,2]");
  });
});

describe("errors raised inside lax callbacks", () => {
  it("name a cond branch and its own parameter names", () => {
    const f = jit((x: NDArray) => lax.cond(x.sum().gt(0), (v: NDArray) => v.mul(Number(v.sum())), (w: NDArray) => w, x));
    const e = caught(() => f(np.array([1, 2])));
    expect(e.message).toContain("in trueFn of lax.cond; it depends on parameter 'v'.");
  });

  it("name the loop body and the user's carry parameter, and do not suggest making a carry static", () => {
    const f = jit((x: NDArray) => lax.foriLoop(0, 3, (_i, acc) => (Number(acc.sum()) > 1 ? acc : acc.mul(2)), x));
    const e = caught(() => f(np.array([1, 2])));
    expect(e).toBeInstanceOf(ConcretizationTypeError);
    expect(e.message).toContain("in the body of lax.foriLoop; it depends on parameter 'acc'.");
    expect(e.message).not.toMatch(/function 'f'|carry\.\[|static/);
  });

  it("name the whileLoop condition's own parameter", () => {
    const e = caught(() => lax.whileLoop((s: { x: NDArray }) => Number(s.x) > 1, (c: { x: NDArray }) => c, { x: np.array(0) }));
    // Eagerly the carry is concrete outside the loop, but inside it is traced.
    expect(e.message).toContain("in the condition of lax.whileLoop; it depends on parameter 's.x'.");
  });

  it("say which named function (or lax body) a callback runs in", () => {
    const outer = jit(function outer(x: NDArray) {
      return lax.scan((c: NDArray, xi: NDArray) => [lax.cond(xi.gt(0), (a: NDArray) => a.add(Number(a)), (b: NDArray) => b, c), null] as const, x.sum(), x)[0];
    });
    const e = caught(() => outer(np.array([1, 2])));
    expect(e.message).toContain("in trueFn of lax.cond in the body of lax.scan in function 'outer'; it depends on parameter 'a'.");
  });

  it("name a named body function and follow captured values to the jitted function's parameters", () => {
    const f = jit((x: NDArray, n: number) =>
      lax.scan(function accumulate(c: NDArray, xi: NDArray) {
        return [Number(xi.mul(n)) > 0 ? c : c.add(xi), null] as const;
      }, np.zeros([]), x));
    const e = caught(() => f(np.array([1, 2]), 3));
    expect(e.message).toContain("in function 'accumulate' (the body of lax.scan); it depends on parameters 'xi', 'n'.");
    // Only n, passed a JS number, could be static.
    expect((e as ConcretizationTypeError).fix).toContain("mark 'n' static");
    expect((e as ConcretizationTypeError).fix).not.toContain("'xi'");
  });
});
