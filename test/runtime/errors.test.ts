// Every error class: JAX's name and wording, the function and parameter involved (or the
// operation and shapes), the user's file:line of the offending operation, and a fix.

import { caught as caughtError } from "../helpers/errors.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  ConcretizationTypeError,
  DTypeError,
  NonHashableStaticArgError,
  RecompileError,
  ShapeError,
  TracerArrayConversionError,
  TracerBoolConversionError,
  TracerIntegerConversionError,
  TsjitError,
  UnexpectedTracerError,
  jit,
  makeJaxpr,
  np,
  type NDArray,
} from "tsjit";

const SOURCE = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n");

/** The 1-based line holding `marker` (a comment at the end of the offending line). */
function lineOf(marker: string): number {
  const i = SOURCE.findIndex((l) => l.includes(`// ${marker}`));
  if (i < 0) throw new Error(`marker ${marker} not found`);
  return i + 1;
}

const caught = (fn: () => unknown) => caughtError<TsjitError>(fn);

/** The error's class, its `location` at the marked line of this file, and a fix in the message. */
function expectWellFormed(e: unknown, cls: new (...a: never[]) => TsjitError, marker: string): asserts e is TsjitError {
  expect(e).toBeInstanceOf(cls);
  const err = e as TsjitError;
  expect(err.name).toBe(cls.name);
  expect(err.location, `location of: ${err.message}`).toMatch(new RegExp(`^test/runtime/errors\\.test\\.ts:${lineOf(marker)}:\\d+$`));
  expect(err.message).toContain(`\n  at ${err.location}`);
  expect(err.fix, "fix").toBeTruthy();
  expect(err.message).toContain(`\nFix: ${err.fix}`);
}

const x3 = np.array([1, 2, 3]);

describe("ConcretizationTypeError", () => {
  it("numeric conversion of a tracer names the function, the parameter and the line", () => {
    const scale = jit(function scale(x: NDArray, factor: number) {
      return x.mul(+factor); // L:plus
    });
    const e = caught(() => scale(x3, 2));
    expectWellFormed(e, ConcretizationTypeError, "L:plus");
    expect(e.message).toMatch(/^Abstract tracer value encountered where concrete value is expected: traced array with shape f32\[\] in function 'scale'; it depends on parameter 'factor'\./);
    // factor was passed a JS number, so it could be static.
    expect(e.fix).toContain("mark 'factor' static (staticArgnames)");
  });

  it("suggests static only for parameters passed JS values: an array cannot be a static argument", () => {
    const scale = jit(function scale(x: NDArray, factor: NDArray) {
      return x.mul(+factor);
    });
    const e = caught(() => scale(x3, np.array(2)));
    expect(e).toBeInstanceOf(ConcretizationTypeError);
    expect(e.message).toContain("depends on parameter 'factor'");
    expect(e.fix).not.toMatch(/static/);
    expect(e.fix).toMatch(/np\.where or lax\.cond/);
    // The same function called with a number may be told to make it static (a plain object of numbers too).
    const g = jit((opts: { k: number }, x: NDArray) => x.mul(Number(x.sum().mul(opts.k))));
    const e2 = caught(() => g({ k: 2 }, x3));
    expect(e2.message).toContain("depends on parameters 'opts.k', 'x'");
    expect(e2.fix).toContain("mark 'opts' static");
    expect(e2.fix).not.toContain("'x'");
  });

  it("covers x * 2, Number(x), valueOf(), .item(), .dataSync(), .blockUntilReady() and .data()", async () => {
    const cases: [string, (x: NDArray) => unknown][] = [
      ["L:times", (x) => (x as unknown as number) * 2], // L:times
      ["L:number", (x) => Number(x)], // L:number
      ["L:valueof", (x) => x.valueOf()], // L:valueof
      ["L:item", (x) => x.item()], // L:item
      ["L:datasync", (x) => x.dataSync()], // L:datasync
    ];
    for (const [marker, op] of cases) {
      const f = jit((x: NDArray) => {
        op(x);
        return x;
      });
      const e = caught(() => f(x3));
      expectWellFormed(e, ConcretizationTypeError, marker);
      expect(e.message).toContain("depends on parameter 'x'");
    }
    let pending: Promise<unknown> | undefined;
    jit((x: NDArray) => {
      pending = x.data();
      return x;
    })(x3);
    await expect(pending).rejects.toThrow(ConcretizationTypeError);
    let ready: Promise<unknown> | undefined;
    jit((x: NDArray) => {
      ready = x.blockUntilReady();
      return x;
    })(x3);
    await expect(ready).rejects.toThrow(/blockUntilReady/);
  });

  it("names the pytree path and only the parameters the value depends on", () => {
    const f = jit(function loss(params: { w: NDArray; b: NDArray }, x: NDArray) {
      const y = np.add(np.multiply(x, params.w), 1);
      return Number(y.sum()) > 0 ? y : x; // L:pytree
    });
    const e = caught(() => f({ w: x3, b: x3 }, x3));
    expectWellFormed(e, ConcretizationTypeError, "L:pytree");
    expect(e.message).toContain("in function 'loss'; it depends on parameters 'params.w', 'x'");
    expect(e.message).not.toContain("params.b");
    // Both were passed arrays: neither can be a static argument.
    expect(e.fix).not.toContain("static");
  });

  it("makeJaxpr raises it too, naming list elements like jit does", () => {
    const e = caught(() => makeJaxpr((x: NDArray) => x.mul(Number(x.sum())))(x3)); // L:makejaxpr
    expectWellFormed(e, ConcretizationTypeError, "L:makejaxpr");
    for (const trace of [makeJaxpr, jit]) {
      const f = trace((xs: NDArray[], p: { w: NDArray[] }) => Number(xs[1]!.add(p.w[0]!).sum()));
      expect(() => f([x3, x3], { w: [x3] })).toThrow("depends on parameters 'xs[1]', 'p.w[0]'");
    }
  });
});

describe("TracerBoolConversionError", () => {
  it("converting a traced bool is a TracerBoolConversionError (a ConcretizationTypeError)", () => {
    const f = jit(function relu(x: NDArray) {
      return (x.gt(0) as unknown as number) == 1 ? x : np.zeros(x.shape); // L:bool
    });
    const e = caught(() => f(x3));
    expectWellFormed(e, TracerBoolConversionError, "L:bool");
    expect(e).toBeInstanceOf(ConcretizationTypeError);
    expect(e.message).toMatch(/^Attempted boolean conversion of traced array with shape bool\[3\] in function 'relu'; it depends on parameter 'x'\./);
    expect(e.fix).toMatch(/np\.where\(cond, a, b\).*lax\.cond/);
  });
});

describe("TracerIntegerConversionError", () => {
  it("a tracer as a property key, in a template literal or String() is a TracerIntegerConversionError", () => {
    const table = [10, 20, 30];
    const cases: [string, (i: NDArray) => unknown][] = [
      ["L:index", (i) => table[i as unknown as number]], // L:index
      ["L:template", (i) => `${i}`], // L:template
      ["L:string", (i) => String(i)], // L:string
      ["L:tostring", (i) => i.toString()], // L:tostring
    ];
    for (const [marker, op] of cases) {
      const f = jit(function lookup(i: NDArray) {
        op(i);
        return i;
      });
      const e = caught(() => f(np.array(1, { dtype: "int32" })));
      expectWellFormed(e, TracerIntegerConversionError, marker);
      expect(e).toBeInstanceOf(ConcretizationTypeError);
      expect(e.message).toContain("in function 'lookup'; it depends on parameter 'i'");
      expect(e.message).toContain("was used as a string or property key");
    }
  });
});

describe("TracerArrayConversionError", () => {
  it("tolist() on a tracer", () => {
    const f = jit(function toHost(x: NDArray) {
      x.tolist(); // L:tolist
      return x;
    });
    const e = caught(() => f(x3));
    expectWellFormed(e, TracerArrayConversionError, "L:tolist");
    expect(e.message).toContain("tolist() was called on traced array with shape f32[3] in function 'toHost'; it depends on parameter 'x'");
  });
});

describe("UnexpectedTracerError", () => {
  it("a tracer saved to outer state and used after its trace, in every way", () => {
    let leaked: NDArray | undefined;
    const f = jit(function leaky(x: NDArray) {
      leaked = x.mul(2);
      return x;
    });
    f(x3);
    const uses: [string, () => unknown][] = [
      ["L:leak-eager", () => leaked!.add(1)], // L:leak-eager
      ["L:leak-item", () => leaked!.item()], // L:leak-item
      ["L:leak-number", () => +leaked!], // L:leak-number
      ["L:leak-string", () => `${leaked}`], // L:leak-string
      ["L:leak-jit", () => jit((y: NDArray) => y.add(leaked!))(x3)], // L:leak-jit
      ["L:leak-arg", () => jit((y: NDArray) => y)(leaked!)], // L:leak-arg
    ];
    for (const [marker, use] of uses) {
      const e = caught(use);
      expectWellFormed(e, UnexpectedTracerError, marker);
      expect(e.message).toMatch(/leaky|trace that has ended/);
    }
    const e = caught(() => leaked!.add(1));
    expect(e.message).toContain("an intermediate value with type f32[3] escaped the trace of function 'leaky'");
  });

  it("tolist() on a leaked tracer reports the leak too", () => {
    let leaked: NDArray | undefined;
    jit((x: NDArray) => (leaked = x))(x3);
    const e = caught(() => leaked!.tolist()); // L:leak-tolist
    expectWellFormed(e, UnexpectedTracerError, "L:leak-tolist");
  });

  it("a tracer of an enclosing active trace is fine (closure capture)", () => {
    const outer = jit((x: NDArray) => {
      const g = (y: NDArray) => y.add(x);
      return g(np.ones([3]));
    });
    expect(Array.from(outer(x3).dataSync())).toEqual([2, 3, 4]);
  });
});

describe("NonHashableStaticArgError", () => {
  it("names the parameter and the offending path, at the call site", () => {
    const f = jit(function configured(x: NDArray, cfg: { layers: number[] }) {
      return x.mul(cfg.layers.length);
    }, { staticArgnames: ["cfg"] });
    const e = caught(() => f(x3, Object.freeze({ layers: [1, 2] }))); // L:nonhashable
    expectWellFormed(e, NonHashableStaticArgError, "L:nonhashable");
    expect(e.message).toContain("static argument 'cfg' of jitted function 'configured' (at layers) is an unfrozen array");
    expect(e.fix).toMatch(/Object\.freeze|\[jit\.key\]\(\)/);
  });

  it("keeps the location for a deeply nested offender", () => {
    const f = jit((x: NDArray, cfg: unknown) => x, { staticArgnames: ["cfg"] });
    const deep = Object.freeze({ a: Object.freeze({ b: Object.freeze({ c: Object.freeze([Object.freeze({ d: Object.freeze([{}]) })]) }) }) });
    const e = caught(() => f(x3, deep)); // L:deep
    expectWellFormed(e, NonHashableStaticArgError, "L:deep");
    expect(e.message).toContain("(at a.b.c[0].d[0])");
  });
});

describe("errors for bad inputs are well formed (issue 9)", () => {
  it("an accessor in a static, a cyclic argument, bad transpose axes, an unknown option", () => {
    const f = jit(function cfgd(x: NDArray, cfg: { k: number }) {
      return x.mul(cfg.k);
    }, { staticArgnames: ["cfg"] });
    const e1 = caught(() => f(x3, Object.freeze({ get k() { return 2; } }))); // L:accessor
    expectWellFormed(e1, NonHashableStaticArgError, "L:accessor");
    const cyclic: Record<string, unknown> = { x: x3 };
    cyclic.again = cyclic;
    const e2 = caught(() => jit((p: unknown) => x3)(cyclic)); // L:cyclic
    expectWellFormed(e2, ArgumentError, "L:cyclic");
    const e3 = caught(() => np.zeros([2, 3, 4]).transpose([0, 1])); // L:transpose
    expectWellFormed(e3, ShapeError, "L:transpose");
    const e4 = caught(() => jit((x: NDArray) => x, { statikArgnames: ["x"] } as never)); // L:option
    expectWellFormed(e4, ArgumentError, "L:option");
  });

  it("an allocation beyond memory is a ResourceExhaustedError at the user's line", async () => {
    const { ResourceExhaustedError } = await import("tsjit");
    const original = globalThis.Float32Array;
    globalThis.Float32Array = class extends original {
      constructor(...args: unknown[]) {
        if (typeof args[0] === "number" && args[0] >= 1_000_000) throw new RangeError("Array buffer allocation failed");
        super(...(args as []));
      }
    } as Float32ArrayConstructor;
    try {
      const e = caught(() => np.ones([1_500_000]).mul(2)); // L:oom
      expectWellFormed(e, ResourceExhaustedError, "L:oom");
    } finally {
      globalThis.Float32Array = original;
    }
  });
});

describe("RecompileError", () => {
  it("names the function, the limit and what changed", () => {
    const f = jit(function shaped(x: NDArray) {
      return x.add(1);
    }, { recompileLimit: 1, onRecompileLimit: "error" });
    f(np.ones([1]));
    const e = caught(() => f(np.ones([2]))); // L:recompile
    expectWellFormed(e, RecompileError, "L:recompile");
    expect(e.message).toContain("jitted function 'shaped' has been compiled 2 times (recompileLimit 1); the latest miss was at x, now f32[2] and before f32[1].");
  });
});

describe("ShapeError", () => {
  it("broadcasting names the operation and both shapes, eagerly and under jit", () => {
    const e = caught(() => np.add(np.ones([2, 3]), np.ones([4]))); // L:bcast
    expectWellFormed(e, ShapeError, "L:bcast");
    expect(e.message).toContain("add got incompatible shapes for broadcasting: (2, 3), (4,).");
    const f = jit((a: NDArray, b: NDArray) => np.multiply(a, b)); // L:bcast-jit
    expectWellFormed(caught(() => f(np.ones([2]), np.ones([3]))), ShapeError, "L:bcast-jit");
  });

  it("matmul, reshape, concatenate, reductions and slicing say what does not fit", () => {
    const cases: [string, () => unknown, RegExp][] = [
      ["L:matmul", () => np.matmul(np.ones([2, 3]), np.ones([2, 3])), /np\.matmul: shapes \(2, 3\) and \(2, 3\) are not aligned/], // L:matmul
      ["L:reshape", () => np.ones([2, 3]).reshape(4, 2), /reshape cannot reshape array of shape \(2, 3\) \(size 6\) into shape \(4, 2\) \(size 8\)/], // L:reshape
      ["L:concat", () => np.concatenate([np.ones([2]), np.ones([2, 2])]), /concatenate requires arrays of the same rank.*\(2,\), \(2, 2\)/], // L:concat
      ["L:axis", () => np.sum(np.ones([2]), 1), /np\.sum: axis 1 is out of bounds for array of dimension 1/], // L:axis
      ["L:slice", () => np.ones([2]).slice(5), /index 5 is out of bounds for axis 0 with size 2/], // L:slice
      ["L:empty", () => np.max(np.zeros([0])), /zero-size array to reduction operation max/], // L:empty
    ];
    for (const [marker, op, message] of cases) {
      const e = caught(op);
      expectWellFormed(e, ShapeError, marker);
      expect(e.message).toMatch(message);
    }
  });
});

describe("DTypeError", () => {
  it("bool arithmetic that NumPy refuses names the function", () => {
    const t = np.array([true]);
    const e = caught(() => np.subtract(t, t)); // L:dtype
    expectWellFormed(e, DTypeError, "L:dtype");
    expect(e.message).toBe(`np.subtract does not accept bool operands.\n  at ${e.location}\nFix: ${e.fix}`);
    expectWellFormed(caught(() => np.negative(t)), DTypeError, "L:dtype-neg"); // L:dtype-neg
  });
});

describe("ArgumentError", () => {
  it("bad staticArgnames point at the jit() call", () => {
    const e = caught(() => jit((x: NDArray, n: number) => x.mul(n), { staticArgnames: "m" })); // L:argnames
    expectWellFormed(e, ArgumentError, "L:argnames");
  });

  it("unsupported argument values name the argument path", () => {
    const f = jit(function takes(p: { w: NDArray }) {
      return p.w;
    });
    const e = caught(() => f({ w: "weights" as unknown as NDArray })); // L:leaf
    expectWellFormed(e, ArgumentError, "L:leaf");
    expect(e.message).toContain("argument 'p' of jitted function 'takes' at 'w' is a string");
    const g = caught(() => np.add([1, 2] as unknown as NDArray, 1)); // L:jsarray
    expectWellFormed(g, ArgumentError, "L:jsarray");
    expect(g.message).toContain("np.add requires arrays or scalars, got a JS array.");
  });

  it("outputs that are not arrays name the function", () => {
    const f = jit(function strings(x: NDArray) {
      return [x, "done"] as unknown as NDArray;
    });
    expect(() => f(x3)).toThrow(/the output of jitted function 'strings' at '\[1\]' is a string/);
  });
});

describe("errors on concrete arrays carry a location and a fix", () => {
  it("item() and numeric conversion of larger arrays, iteration of 0-d arrays, use after dispose", async () => {
    const { np, ShapeError, ArgumentError } = await import("tsjit");
    const cases: [() => unknown, new (...a: never[]) => Error, RegExp][] = [
      [() => np.array([1, 2]).item(), ShapeError, /item\(\) needs an array of size 1/],
      [() => +np.array([1, 2]), ShapeError, /Only size-1 arrays can be converted/],
      [() => [...np.array(3)], ShapeError, /iteration over a 0-d array/],
      [() => { const x = np.array([1]); x.dispose(); return x.dataSync(); }, ArgumentError, /was disposed/],
    ];
    for (const [f, cls, text] of cases) {
      let error: Error | undefined;
      try { f(); } catch (e) { error = e as Error; }
      expect(error).toBeInstanceOf(cls);
      expect(error).toBeInstanceOf(TypeError);
      expect(error!.message).toMatch(text);
      expect(error!.message).toMatch(/test\/runtime\/errors\.test\.ts:\d+:\d+/);
      expect(error!.message).toContain("Fix:");
    }
  });
});
