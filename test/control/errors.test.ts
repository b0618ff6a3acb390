// Every control-flow error: JAX's content, the user's file:line, and a fix.
import { describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, jit, lax, np, ShapeError, type NDArray } from "tsjit";
import { caught } from "../helpers/errors.js";

const thrown = caught;

const here = /test\/control\/errors\.test\.ts:\d+:\d+/;

describe("lax.cond errors", () => {
  it("names both branch types and the output path", () => {
    const e = thrown(() => lax.cond(np.array(true), (x: NDArray) => ({ y: x }), (x: NDArray) => ({ y: x.reshape(1, 3) }), np.ones([3])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain("the branches return different types at output 'y': trueFn gives f32[3] and falseFn gives f32[1,3]");
    expect(e.message).toMatch(here);
    expect(e.message).toContain("Fix:");
  });

  it("rejects a dtype difference that is not a weak-type promotion", () => {
    const e = thrown(() => lax.cond(np.array(true), (x: NDArray) => x, (x: NDArray) => x.astype("int32"), np.ones([2])));
    expect(e.message).toContain("trueFn gives f32[2] and falseFn gives i32[2]");
  });

  it("reports different output structures", () => {
    const e = thrown(() => lax.cond(np.array(true), (x: NDArray) => [x, x], (x: NDArray) => [x], np.ones([2])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain("must have the same structure, got [·,·] and [·]");
  });

  it("requires a scalar predicate", () => {
    const e = thrown(() => lax.cond(np.array([true, false]), (x: NDArray) => x, (x: NDArray) => x, np.ones([2])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain("lax.cond's predicate must be a scalar, got an array of shape bool[2]");
    expect(e.message).toContain("np.where");
  });

  it("requires functions", () => {
    expect(thrown(() => lax.cond(true, 1 as never, 2 as never))).toBeInstanceOf(ArgumentError);
  });
});

describe("lax.switch errors", () => {
  it("rejects an empty branch list", () => {
    const e = thrown(() => lax.switch(np.array(0, { dtype: "int32" }), []));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toContain("non-empty array of branch functions");
  });
  it("rejects a float index", () => {
    const e = thrown(() => lax.switch(np.array(1.5), [(x: NDArray) => x, (x: NDArray) => x], np.ones([1])));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toContain("index must be an integer, got f32[]");
  });
});

describe("lax.whileLoop errors", () => {
  it("reports a carry whose type changes, with the path and both types", () => {
    const e = thrown(() => lax.whileLoop((c: { x: NDArray }) => c.x.sum().lt(10), (c: { x: NDArray }) => ({ x: np.concatenate([c.x, c.x]) }), { x: np.ones([2]) }));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain("the carry component 'c.x' enters as f32[2] and is returned as f32[4] (the shapes differ)");
    expect(e.message).toMatch(here);
  });
  it("requires a bool scalar condition", () => {
    const e = thrown(() => lax.whileLoop((c: NDArray) => c, (c: NDArray) => c.add(1), np.zeros([2])));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toContain("condFn must return a bool scalar, got (f32[2])");
  });
  it("reports a structure change", () => {
    const e = thrown(() => lax.whileLoop((c: NDArray[]) => c[0]!.lt(1), ((c: NDArray[]) => [c[0]!.add(1)]) as never, [np.array(0), np.array(1)]));
    expect(e.message).toContain("must have the same structure");
  });
});

describe("lax.scan errors", () => {
  const f = ((c: NDArray, x: NDArray) => [c.add(x), null] as const) as never;
  it("rejects disagreeing leading sizes", () => {
    const e = thrown(() => lax.scan((c: NDArray, x: { a: NDArray; b: NDArray }) => [c.add(x.a), null] as const, 0, { a: np.ones([3]), b: np.ones([4]) }));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain("different leading axis sizes: a: 3, b: 4");
  });
  it("rejects a length that disagrees with xs", () => {
    const e = thrown(() => lax.scan(f, 0, np.ones([3]), { length: 4 }));
    expect(e.message).toContain("length 4 disagrees with the leading axis size 3 of xs");
  });
  it("rejects a traced length", () => {
    const g = jit((x: NDArray) => lax.scan(f, 0, null, { length: x.sum() as unknown as number }));
    const e = thrown(() => g(np.ones([3])));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toContain("length must be a static integer, got a traced value (f32[])");
    expect(e.message).toContain("lax.whileLoop");
  });
  it("needs a length without xs", () => {
    expect(thrown(() => lax.scan(f, 0, null)).message).toContain("pass { length }");
  });
  it("needs a [carry, y] pair from f", () => {
    const e = thrown(() => lax.scan(((c: NDArray) => c) as never, 0, np.ones([2])));
    expect(e.message).toContain("f must return a pair [carry, y]");
  });
  it("rejects scalar xs leaves", () => {
    expect(thrown(() => lax.scan(f, 0, 5)).message).toContain("is a scalar; every xs leaf needs a leading axis");
  });
  it("reports a carry type change", () => {
    const e = thrown(() => lax.scan((c: NDArray, x: NDArray) => [c.reshape(1, 2), x] as const, np.zeros([2]), np.ones([3])));
    expect(e.message).toContain("the carry component 'c' enters as f32[2] and is returned as f32[1,2]");
  });
});

describe("lax.foriLoop errors", () => {
  it("requires integer bounds", () => {
    expect(thrown(() => lax.foriLoop(0, 2.5, (_i: NDArray, c: NDArray) => c, 0))).toBeInstanceOf(ArgumentError);
  });
  it("requires int32 traced bounds", () => {
    const e = thrown(() => lax.foriLoop(0, np.array(3), (_i: NDArray, c: NDArray) => c, 0));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toContain("bounds must be int32 scalars, got f32[]");
  });
});
