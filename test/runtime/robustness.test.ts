// Bad and unusual inputs to jit, makeJaxpr and np: each gets a named tsjit error that says
// what and where (never a stale kernel, a RangeError from deep recursion, or a dead
// process), and unusual but valid inputs (typed arrays, symbol-keyed statics) work.
// Issue 9 items 3, 4, 8-12 and issue 10 items 4b and 13.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import * as tsjit from "tsjit";
import { ArgumentError, NonHashableStaticArgError, ShapeError, TsjitError, jit, lax, makeJaxpr, np, type NDArray } from "tsjit";
import * as pytree from "../../runtime/trace/pytree.js";
import { DESTRUCTURED as runtimeDestructured } from "../../runtime/jit/params.js";
import { DESTRUCTURED as transformerDestructured } from "../../transformer/analysis/index.js";
import { caught } from "../helpers/errors.js";

const values = (x: NDArray) => Array.from(x.dataSync());
const x3 = np.array([1, 2, 3]);

describe("static keys cover every own property", () => {
  const K = Symbol("scale");

  it("symbol-keyed properties of frozen statics are part of the key", () => {
    const f = jit((x: NDArray, o: { readonly [K]: number }) => x.mul(o[K]), { staticArgnums: [1] });
    expect(values(f(x3, Object.freeze({ [K]: 2 })))).toEqual([2, 4, 6]);
    expect(values(f(x3, Object.freeze({ [K]: 3 })))).toEqual([3, 6, 9]);
    expect(f.stats.compiles).toBe(2);
  });

  it("non-enumerable properties of frozen statics are part of the key", () => {
    const hidden = (v: number) => Object.freeze(Object.defineProperty({}, "s", { value: v, enumerable: false })) as { s: number };
    const f = jit((x: NDArray, o: { s: number }) => x.mul(o.s), { staticArgnames: ["o"] });
    expect(values(f(x3, hidden(2)))).toEqual([2, 4, 6]);
    expect(values(f(x3, hidden(3)))).toEqual([3, 6, 9]);
  });

  it("a keyed instance under a symbol key of a frozen static is not taken by identity on the fast path", () => {
    class Mode {
      constructor(public k: number) {}
      [jit.key]() { return this.k; }
    }
    const mode = new Mode(2);
    const o = Object.freeze({ [K]: mode });
    const f = jit((x: NDArray, s: typeof o) => x.mul(s[K].k), { staticArgnums: [1] });
    expect(values(f(x3, o))).toEqual([2, 4, 6]);
    mode.k = 5;
    expect(values(f(x3, o))).toEqual([5, 10, 15]);
  });

  it("accessors are refused with NonHashableStaticArgError naming the parameter and the property", () => {
    let scale = 2;
    const o = Object.freeze({ get scale() { return scale; } });
    const f = jit((x: NDArray, cfg: { scale: number }) => x.mul(cfg.scale), { staticArgnames: ["cfg"] });
    const e = caught(() => f(x3, o));
    expect(e).toBeInstanceOf(NonHashableStaticArgError);
    expect(e.message).toMatch(/static argument 'cfg' of jitted function .* accessor \(getter\/setter\) property scale/);
    // Never a stale result: the second call (after the getter's value changed) fails the same way.
    scale = 3;
    expect(() => f(x3, o)).toThrow(NonHashableStaticArgError);
    const nested = Object.freeze([Object.freeze({ get v() { return 1; } })]);
    expect(caught(() => f(x3, nested as never)).message).toMatch(/property \[0\]\.v/);
  });

  it("a frozen static with a getter is never served from the fast path", () => {
    let n = 2;
    const o = Object.freeze(Object.defineProperty({}, "n", { get: () => n, enumerable: true })) as { n: number };
    const f = jit((x: NDArray, s: { n: number }) => x.mul(s.n), { staticArgnums: [1] });
    const results: unknown[] = [];
    for (const v of [2, 3]) {
      n = v;
      try {
        results.push(values(f(x3, o)));
      } catch (e) {
        results.push((e as Error).name);
      }
    }
    expect(results).toEqual(["NonHashableStaticArgError", "NonHashableStaticArgError"]);
  });
});

describe("transpose axes must be a permutation", () => {
  const x = np.zeros([2, 3, 4]);

  it.each([
    ["too short", [0, 1], /axes \[0, 1\] lists 2 axes, not 3, for an array of rank 3 \(shape \(2, ?3, ?4\)\)/],
    ["empty", [], /axes \[\] lists 0 axes, not 3/],
    ["repeated", [0, 0, 1], /axes \[0, 0, 1\] repeats an axis for an array of rank 3/],
    ["out of range", [0, 1, 3], /axes \[0, 1, 3\] has 3, which is not an axis/],
    ["not integers", [0, 1.5, 2], /has 1\.5, which is not an axis/],
  ])("%s is a ShapeError naming the axes and the rank", (_name, axes, message) => {
    const e = caught(() => np.transpose(x, axes));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(message);
    expect(() => x.transpose(axes)).toThrow(ShapeError);
    expect(() => jit((a: NDArray) => a.transpose(axes))(x)).toThrow(ShapeError);
  });

  it("valid permutations (negative axes included) still work", () => {
    expect(np.transpose(x, [2, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(x.transpose([-1, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(x.transpose().shape).toEqual([4, 3, 2]);
  });
});

describe("async and generator functions", () => {
  it.each([
    ["an async function", async (x: NDArray) => x],
    ["a generator function", function* (x: NDArray) { yield x; }],
    ["an async generator function", async function* (x: NDArray) { yield x; }],
  ])("%s is refused by jit() and makeJaxpr() when they are called", (kind, fn) => {
    for (const api of [jit, makeJaxpr] as const) {
      const e = caught(() => api(fn as never));
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toContain(`cannot trace ${kind}`);
      expect((e as TsjitError).fix).toMatch(/synchronous function/);
    }
  });

  it("a lax body that is async is refused", () => {
    const f = jit((x: NDArray) => lax.cond(x.sum().gt(0), (async (a: NDArray) => a) as never, (a: NDArray) => a, x));
    expect(caught(() => f(x3)).message).toMatch(/lax \(trueFn of lax\.cond\) cannot trace an async function/);
  });

  it("a function returning a promise fails the call, and its body's later failure is not an unhandled rejection", async () => {
    // An async function compiled to plain JS: a function that returns a promise.
    const f = jit((x: NDArray) => (async () => {
      await null;
      return x.add(1); // a dead tracer by now
    })());
    const e = caught(() => f(x3));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/returned a Promise/);
    // Give the body time to run on (vitest fails the run on an unhandled rejection).
    await new Promise((r) => setTimeout(r, 10));
  });
});

describe("pytree structures are interned weakly", () => {
  it("equal live structures are the same object", () => {
    const a = pytree.flatten({ p: [1, 2], q: 3 }, [], "t");
    const b = pytree.flatten({ q: np.array(1), p: [x3, x3] }, [], "t");
    expect(a).toBe(b);
  });

  it("50,000 distinct object-key structures do not stay interned once dropped", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const count = pytree.internedTreeCount;
    expect(count, "internedTreeCount").toBeTypeOf("function");
    const before = count();
    const f = jit((o: Record<string, number>) => np.asarray(Object.keys(o).length));
    for (let i = 0; i < 50_000; i++) pytree.flatten({ [`key${i}`]: 1, shared: [1, 2] }, [], "t");
    for (let i = 0; i < 20; i++) f({ [`arg${i}`]: 1 });
    expect(count()).toBeGreaterThan(before + 40_000);
    f.clearCache();
    // WeakRefs are kept alive until the current job ends: collect after a turn of the event loop.
    await new Promise((r) => setTimeout(r, 0));
    gc();
    await new Promise((r) => setTimeout(r, 0));
    expect(count()).toBeLessThan(before + 1_000);
  });
});

describe("cycles are named errors, not stack overflows", () => {
  it("a cyclic argument names the argument and the path of the cycle", () => {
    const a: Record<string, unknown> = { w: np.array([1]), inner: {} };
    (a.inner as Record<string, unknown>).back = a;
    const e = caught(() => jit(function f(p: unknown) { return p as NDArray; })(a));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/argument 'p' of jitted function 'f' is cyclic: the value at 'inner\.back' is the same object as the whole value/);
    const list: unknown[] = [x3];
    list.push([list]);
    expect(caught(() => makeJaxpr((l: unknown) => l as NDArray)(list)).message).toMatch(/is cyclic: the value at '\[1\]\[0\]'/);
  });

  it("a cyclic output is a named error", () => {
    const e = caught(() => jit((x: NDArray) => {
      const o: Record<string, unknown> = { x };
      o.me = o;
      return o;
    })(x3));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/the output of jitted function .* is cyclic: the value at 'me'/);
  });

  it("a cyclic frozen static and a [jit.key]() returning this are NonHashableStaticArgErrors", () => {
    const o: Record<string, unknown> = { n: 1 };
    o.self = o;
    Object.freeze(o);
    const f = jit((x: NDArray, s: unknown) => x, { staticArgnums: [1] });
    const e1 = caught(() => f(x3, o));
    expect(e1).toBeInstanceOf(NonHashableStaticArgError);
    expect(e1.message).toMatch(/static argument 's' .* is cyclic: the value at self contains itself/);
    class Self {
      [jit.key]() { return this; }
    }
    const e2 = caught(() => f(x3, new Self()));
    expect(e2).toBeInstanceOf(NonHashableStaticArgError);
    expect(e2.message).toMatch(/\[jit\.key\]/);
  });
});

describe("named errors for bad arguments", () => {
  it("x.sum(\"1\") names the axis and its type", () => {
    const e = caught(() => x3.sum("1" as never));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/np\.sum: axis must be an integer, a list of integers or null, got "1" \(string\)/);
    expect((e as TsjitError).fix).toMatch(/axis 1/);
    expect(() => x3.max({} as never)).toThrow(ArgumentError);
  });

  it("jit(fn, null), jit(5) and makeJaxpr(5)", () => {
    expect(caught(() => jit((x: NDArray) => x, null as never)).message).toMatch(/jit: options must be an object, got null/);
    expect(caught(() => jit(5 as never)).message).toMatch(/jit expects a function, got 5 \(a number\)/);
    const e = caught(() => makeJaxpr(5 as never));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/makeJaxpr expects a function, got 5 \(a number\)/);
  });

  it("unknown options get a did-you-mean; bad counts are refused", () => {
    const e = caught(() => jit((x: NDArray, n: number) => x, { statikArgnums: [1] } as never));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/jit: unknown option 'statikArgnums' \(did you mean 'staticArgnums'\?\)/);
    expect(caught(() => makeJaxpr((x: NDArray) => x, { staticArgnum: 0 } as never)).message).toMatch(/did you mean 'staticArgnums'/);
    for (const bad of [NaN, -1, 1.5, "8"]) {
      expect(caught(() => jit((x: NDArray) => x, { maxCacheSize: bad as never })).message).toMatch(/jit: maxCacheSize must be an integer/);
    }
    expect(() => jit((x: NDArray) => x, { recompileLimit: NaN })).toThrow(ArgumentError);
    expect(() => jit((x: NDArray) => x, { onRecompileLimit: "ignore" as never })).toThrow(ArgumentError);
    expect(() => jit((x: NDArray) => x, { maxCacheSize: Infinity })).not.toThrow();
  });

  it("asText with an unknown dialect lists the dialects", () => {
    const lowered = jit((x: NDArray) => x.add(1)).lower(x3);
    const e = caught(() => lowered.asText("bogus" as never));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/unknown dialect "bogus"/);
    expect((e as TsjitError).fix).toMatch(/"jaxpr".*"optimized".*"js"/);
  });

  it("shapes beyond the size limit name the shape and the limit", () => {
    const e1 = caught(() => np.zeros([1e15]));
    expect(e1).toBeInstanceOf(ShapeError);
    expect(e1.message).toMatch(/np\.zeros: shape \(1000000000000000,\) has 1\.000e\+15 elements, more than the 2147483647/);
    expect(caught(() => np.arange(1e12)).message).toMatch(/np\.arange: shape \(1000000000000,\) .* more than the 2147483647/);
    expect(caught(() => np.ones([1e5, 1e5])).message).toMatch(/np\.ones: shape \(100000, 100000\) has 1\.000e\+10 elements/);
    expect(() => jit(() => np.zeros([1e15]))()).toThrow(ShapeError);
    expect(() => np.broadcastTo(x3.reshape([3, 1]), [3, 1e10])).toThrow(ShapeError);
  });

  describe("an allocation beyond memory names the arrays", () => {
    const original = globalThis.Float32Array;
    afterEach(() => {
      globalThis.Float32Array = original;
    });
    // Make large Float32Array allocations fail, as an allocation beyond memory does.
    const failLarge = () => {
      globalThis.Float32Array = class extends original {
        constructor(...args: unknown[]) {
          if (typeof args[0] === "number" && args[0] >= 1_000_000) throw new RangeError("Array buffer allocation failed");
          super(...(args as []));
        }
      } as Float32ArrayConstructor;
    };

    it("eagerly and under jit", () => {
      const f = jit((x: NDArray) => np.zeros([2_000_000]).add(x.sum()));
      failLarge();
      const e1 = caught(() => np.zeros([2_000_000]).add(1));
      expect(e1.name).toBe("ResourceExhaustedError");
      expect(e1).toBeInstanceOf(TsjitError);
      expect((tsjit as Record<string, unknown>).ResourceExhaustedError).toBeDefined();
      expect(e1.message).toMatch(/could not allocate memory for f32\[2000000\] \(8\.0 MB of outputs/);
      const e2 = caught(() => f(x3));
      expect(e2.name).toBe("ResourceExhaustedError");
      expect(e2.message).toMatch(/jitted function .* could not allocate memory for f32\[2000000\]/);
    });
  });

  it("errors about a function's output do not suggest marking a parameter static", () => {
    const e = caught(() => jit((x: NDArray) => ({ y: x, label: "done" }))(x3));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/the output of jitted function .* at 'label' is a string/);
    expect(e.message).not.toMatch(/static/);
  });

  it("messages name kinds of values with proper articles", () => {
    const gen = (function* () { yield 1; })();
    const e1 = caught(() => jit((g: unknown) => np.asarray(1))(gen));
    expect(e1.message).toMatch(/argument 'g' of jitted function .* is a Generator object, which is not/);
    const e2 = caught(() => np.array([undefined] as never));
    expect(e2.message).toMatch(/np\.array: element 0 is undefined, not a number or boolean/);
    expect(caught(() => jit((m: unknown) => np.asarray(1))(new Map())).message).toMatch(/is a Map instance/);
    expect(caught(() => jit((m: unknown) => np.asarray(1))(async () => 1)).message).toMatch(/is an AsyncFunction/);
  });
});

describe("jitted functions called inside another jit", () => {
  const inner = jit((x: NDArray, cfg: { k: number }) => x.mul(cfg.k), { staticArgnames: ["cfg"] });

  it("an unhashable static is refused there too", () => {
    const outer = jit((x: NDArray) => inner(x, { k: 2 }));
    const e = caught(() => outer(x3));
    expect(e).toBeInstanceOf(NonHashableStaticArgError);
    expect(e.message).toMatch(/static argument 'cfg' of jitted function .* unfrozen plain object/);
    expect(values(jit((x: NDArray) => inner(x, Object.freeze({ k: 2 })))(x3))).toEqual([2, 4, 6]);
  });

  it("a tracer as a static value names the parameter and says it is traced in the outer jit", () => {
    const scaled = jit((x: NDArray, n: number) => x.mul(n), { staticArgnames: ["n"] });
    const outer = jit((x: NDArray, n: NDArray) => scaled(x, n as unknown as number));
    const e = caught(() => outer(x3, np.array(2)));
    expect(e).toBeInstanceOf(NonHashableStaticArgError);
    expect(e.message).toMatch(/static argument 'n' of jitted function .* is a traced value \(f32\[\]\) of an enclosing jit/);
    expect((e as TsjitError).fix).toMatch(/static in the outer jitted function/);
  });
});

describe("float to int32 conversion saturates everywhere (XLA's rule)", () => {
  it("np.array(..., { dtype: 'int32' }) and astype('int32') agree", () => {
    const data = [3e9, -3e9, 2147483647.5, -2147483648.7, 1.9, -1.9, NaN, Infinity, -Infinity];
    const expected = [2147483647, -2147483648, 2147483647, -2147483648, 1, -1, 0, 2147483647, -2147483648];
    expect(values(np.array(data, { dtype: "int32" }))).toEqual(expected);
    expect(values(np.array(new Float64Array(data), { dtype: "int32" }))).toEqual(expected);
    // Through float32 (3e9 and 2^31 are float32 values; ±2147483647.5 rounds to ±2^31).
    expect(values(np.array(data).astype("int32"))).toEqual(expected);
    expect(values(jit((x: NDArray) => x.astype("int32"))(np.array(data)))).toEqual(expected);
    expect(values(np.full([1], 3e9, { dtype: "int32" }))).toEqual([2147483647]);
  });
});

describe("typed arrays as jit arguments", () => {
  const double = jit((x: NDArray) => x.mul(2));

  it("are 1-D arrays of their dtype, as np.array makes them (and typed so at top level)", () => {
    const f32 = double(new Float32Array([1, 2.5]));
    expect([f32.dtype, f32.shape, values(f32)]).toEqual(["float32", [2], [2, 5]]);
    const i32 = double(new Int32Array([1, 2]));
    expect([i32.dtype, values(i32)]).toEqual(["int32", [2, 4]]);
    const f64 = double(new Float64Array([0.1]));
    expect([f64.dtype, values(f64)]).toEqual(["float32", [Math.fround(Math.fround(0.1) * 2)]]);
    const nested = jit((p: { w: NDArray; b: NDArray[] }) => p.w.add(p.b[0]!))({ w: new Float32Array([1, 2]), b: [new Float32Array([10, 20])] } as never);
    expect(values(nested)).toEqual([11, 22]);
    const before = double.stats.hits;
    double(new Float32Array([3, 4]));
    expect(double.stats.hits).toBe(before + 1);
  });

  it("a Uint8Array is refused as ambiguous, as np.array refuses it, naming the argument", () => {
    // @ts-expect-error: a Uint8Array is not among the typed arrays an NDArray parameter takes
    const e = caught(() => double(new Uint8Array([1, 0])));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/argument 'x' of jitted function .*: a Uint8Array is ambiguous \(bytes or booleans\)/);
    expect(() => np.array(new Uint8Array([1]))).toThrow(/Uint8Array is ambiguous/);
  });
});

describe("one argument flattening for jit, makeJaxpr and the specializer", () => {
  it("makeJaxpr rejects an unknown staticArgnames as jit does", () => {
    const fn = (x: NDArray, n: number) => x.mul(n);
    const fromJit = caught(() => jit(fn, { staticArgnames: ["m"] }));
    const fromMakeJaxpr = caught(() => makeJaxpr(fn, { staticArgnames: ["m"] }));
    expect(fromMakeJaxpr).toBeInstanceOf(ArgumentError);
    expect(fromMakeJaxpr.message).toMatch(/invalid argnames \{'m'\} in staticArgnames\. Function arguments are \{'x', 'n'\}/);
    expect(fromMakeJaxpr.message.split("\n")[0]).toBe(fromJit.message.split("\n")[0]);
    expect(() => makeJaxpr(fn, { staticArgnums: [5] })).toThrow(/only accepts 2 positional arguments/);
  });

  it("makeJaxpr and jit name leaves alike", () => {
    const fn = (p: { w: NDArray }, [a]: NDArray[]) => p.w.add(a!);
    const printed = makeJaxpr(fn)({ w: x3 }, [x3]).toString();
    const lowered = jit(fn).lower({ w: x3 }, [x3]).asText();
    expect(printed).toBe(lowered);
  });

  it("the transformer uses the runtime's DESTRUCTURED constant", () => {
    expect(transformerDestructured).toBe(runtimeDestructured);
    const src = readFileSync(fileURLToPath(new URL("../../transformer/analysis/functions.ts", import.meta.url)), "utf8");
    expect(src).not.toMatch(/const DESTRUCTURED\s*=/);
  });
});
