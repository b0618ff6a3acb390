// makeJaxpr / lower().asText(): JAX's jaxpr text format, exactly.

import { describe, expect, it } from "vitest";
import { jit, makeJaxpr, np, type NDArray } from "tsjit";
import { formatFloat32 } from "../../runtime/ir/printer.js";

const v3 = np.ones([3]);
const m23 = np.ones([2, 3]);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const text = <A extends any[]>(f: (...a: A) => unknown, ...args: A) => String(makeJaxpr(f)(...args));

describe("makeJaxpr text", () => {
  it("one equation fits on one line", () => {
    expect(text((x: NDArray) => np.multiply(x, 2), v3)).toBe("{ lambda ; a:f32[3]. let b:f32[3] = mul a 2.0:f32[] in (b,) }");
    expect(text((x: NDArray) => x.mul(2), v3)).toBe("{ lambda ; a:f32[3]. let b:f32[3] = mul a 2.0:f32[] in (b,) }");
  });

  it("several equations go one per line, indented by four, `in` by two", () => {
    expect(text((x: NDArray) => np.add(np.multiply(x, 2), 1), v3)).toBe(
      "{ lambda ; a:f32[3]. let\n    b:f32[3] = mul a 2.0:f32[]\n    c:f32[3] = add b 1.0:f32[]\n  in (c,) }",
    );
  });

  it("broadcasting shows as broadcast_in_dim with params sorted by name", () => {
    expect(text((x: NDArray, y: NDArray) => np.add(x, y), m23, v3)).toBe(
      "{ lambda ; a:f32[2,3] b:f32[3]. let\n" +
        "    c:f32[2,3] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(2, 3)] b\n" +
        "    d:f32[2,3] = add a c\n" +
        "  in (d,) }",
    );
  });

  it("prints several outputs, pytree inputs (keys sorted), constants and literal outputs", () => {
    expect(text((x: NDArray) => [np.sin(x), np.cos(x)], v3)).toBe("{ lambda ; a:f32[3]. let\n    b:f32[3] = sin a\n    c:f32[3] = cos a\n  in (b, c) }");
    expect(text((p: { w: NDArray; b: NDArray }) => np.add(p.w, p.b), { w: v3, b: np.zeros([3]) })).toBe(
      "{ lambda ; a:f32[3] b:f32[3]. let c:f32[3] = add b a in (c,) }",
    );
    const c = np.array([1, 2, 3]);
    expect(text((x: NDArray) => np.add(x, c), v3)).toBe("{ lambda a:f32[3]; b:f32[3]. let c:f32[3] = add b a in (c,) }");
    expect(text((x: NDArray) => x, v3)).toBe("{ lambda ; a:f32[3]. let  in (a,) }");
    expect(text((_x: NDArray) => 1, v3)).toBe("{ lambda ; a:f32[3]. let  in (1:i32[],) }");
  });

  it("reductions, argmax, reshape, transpose, dot_general, slice, concatenate, iota, select_n", () => {
    expect(text((x: NDArray) => np.sum(x, 1, { keepdims: true }), m23)).toBe(
      "{ lambda ; a:f32[2,3]. let\n    b:f32[2] = reduce_sum[axes=(1,)] a\n    c:f32[2,1] = reshape[new_sizes=(2, 1)] b\n  in (c,) }",
    );
    expect(text((x: NDArray) => np.argmax(x, 1), m23)).toBe("{ lambda ; a:f32[2,3]. let b:i32[2] = argmax[axes=(1,) index_dtype=int32] a in (b,) }");
    expect(text((x: NDArray) => np.matmul(x, x.T), m23)).toBe(
      "{ lambda ; a:f32[2,3]. let\n" +
        "    b:f32[3,2] = transpose[permutation=(1, 0)] a\n" +
        "    c:f32[2,2] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] a b\n" +
        "  in (c,) }",
    );
    expect(text((x: NDArray) => x.slice(0, [null, null, 2]), m23)).toBe(
      "{ lambda ; a:f32[2,3]. let\n" +
        "    b:f32[1,2] = slice[limit_indices=(1, 3) start_indices=(0, 0) strides=(1, 2)] a\n" +
        "    c:f32[2] = reshape[new_sizes=(2,)] b\n" +
        "  in (c,) }",
    );
    expect(text((x: NDArray) => np.concatenate([x, x]), v3)).toBe("{ lambda ; a:f32[3]. let b:f32[6] = concatenate[dimension=0] a a in (b,) }");
    expect(text((x: NDArray) => np.arange(3).add(x), v3)).toBe(
      "{ lambda ; a:f32[3]. let\n" +
        "    b:i32[3] = iota[dimension=0 dtype=int32 shape=(3,)]\n" +
        "    c:f32[3] = convert_element_type[new_dtype=float32 weak_type=False] b\n" +
        "    d:f32[3] = add c a\n" +
        "  in (d,) }",
    );
    expect(text((x: NDArray) => np.where(np.greater(x, 0), x, 0), v3)).toBe(
      "{ lambda ; a:f32[3]. let\n    b:bool[3] = gt a 0.0:f32[]\n    c:f32[3] = select_n b 0.0:f32[] a\n  in (c,) }",
    );
  });

  it("names variables a..z, then ba, bb, ...", () => {
    const out = text((x: NDArray) => {
      let y = x;
      for (let i = 0; i < 28; i++) y = np.add(y, 1);
      return y;
    }, v3);
    expect(out).toContain("    z:f32[3] = add y 1.0:f32[]\n    ba:f32[3] = add z 1.0:f32[]\n");
    expect(out.endsWith("    bc:f32[3] = add bb 1.0:f32[]\n  in (bc,) }")).toBe(true);
  });

  it("formats literals like Python: 0.1, 1e-07, inf, nan, -0.0, 1e+20, ints, True", () => {
    const out = text((x: NDArray) => [
      np.multiply(x, 0.1), np.multiply(x, 1e-7), np.multiply(x, Infinity), np.multiply(x, NaN),
      np.multiply(x, -0), np.multiply(x, 1e20), np.add(np.ones([3], { dtype: "int32" }), -3), np.logicalAnd(x.gt(0), true),
    ], v3);
    for (const lit of ["0.1:f32[]", "1e-07:f32[]", "inf:f32[]", "nan:f32[]", "-0.0:f32[]", "1e+20:f32[]", "-3:i32[]", "True:bool[]"]) {
      expect(out).toContain(` ${lit}`);
    }
  });

  it("formatFloat32 prints the shortest float32 round-trip, in Python's style", () => {
    expect(formatFloat32(Math.fround(0.1))).toBe("0.1");
    expect(formatFloat32(Math.fround(1 / 3))).toBe("0.33333334");
    expect(formatFloat32(2)).toBe("2.0");
    expect(formatFloat32(1e-4)).toBe("0.0001");
    expect(formatFloat32(1.5e-5)).toBe("1.5e-05");
    expect(formatFloat32(1e16)).toBe("1e+16");
    expect(formatFloat32(123456789)).toBe("123456790.0");
    expect(formatFloat32(-2.5)).toBe("-2.5");
  });

  it("static arguments are not inputs of the jaxpr", () => {
    const f = (x: NDArray, n: number) => np.multiply(x, n);
    expect(String(makeJaxpr(f, { staticArgnums: 1 })(v3, 3))).toBe("{ lambda ; a:f32[3]. let b:f32[3] = mul a 3.0:f32[] in (b,) }");
    expect(String(makeJaxpr(f, { staticArgnames: "n" })(v3, 3))).toBe("{ lambda ; a:f32[3]. let b:f32[3] = mul a 3.0:f32[] in (b,) }");
    expect(String(makeJaxpr(f)(v3, 3))).toBe("{ lambda ; a:f32[3] b:f32[]. let c:f32[3] = mul a b in (c,) }");
  });
});

describe("jitted.lower(...).asText()", () => {
  it("prints the same jaxpr as makeJaxpr, the optimized one, and the generated JS", () => {
    const fn = (x: NDArray) => np.multiply(np.add(x, 0), 1).add(np.multiply(2, 3));
    const f = jit(fn);
    const lowered = f.lower(v3);
    expect(lowered.asText()).toBe(String(makeJaxpr(fn)(v3)));
    expect(lowered.asText("jaxpr")).toBe(lowered.asText());
    expect(lowered.asText()).toBe(
      "{ lambda ; a:f32[3]. let\n" +
        "    b:f32[3] = add a 0.0:f32[]\n" +
        "    c:f32[3] = mul b 1.0:f32[]\n" +
        "    d:i32[] = mul 2:i32[] 3:i32[]\n" +
        "    e:f32[] = convert_element_type[new_dtype=float32 weak_type=False] d\n" +
        "    f:f32[3] = add c e\n" +
        "  in (f,) }",
    );
    // x + 0 stays (it turns -0 into 0), x * 1 goes, 2 * 3 folds to 6.
    expect(lowered.asText("optimized")).toBe("{ lambda ; a:f32[3]. let\n    b:f32[3] = add a 0.0:f32[]\n    c:f32[3] = add b 6.0:f32[]\n  in (c,) }");
    const js = lowered.asText("js");
    expect(js).toContain("// kernel 0: loop over [3]");
    expect(js).toMatch(/return function run\(args\)/);
    expect(f.stats).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 0 });
  });
});
