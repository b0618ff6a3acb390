// dtype promotion and weak types, as DESIGN.md pins them: JAX's lattice restricted to
// bool/int32/float32; a JS number constant is a weak int (if integral) or weak float; a
// traced JS number argument is a weak float32 whatever its value; weak scalars never widen
// an array's dtype within its kind.

import { describe, expect, it } from "vitest";
import { DTypeError, jit, makeJaxpr, np, type ArrayLike, type NDArray } from "tsjit";
import { MODES, runMode } from "../helpers/harness.js";
import { resultType, type RDType, type RType } from "../helpers/reference.js";

const arrays: Record<RDType, NDArray> = {
  float32: np.array([1.5, -2]),
  int32: np.array([3, -4], { dtype: "int32" }),
  bool: np.array([true, false]),
};

/** Operands by their type: strong arrays, and JS constants (weak) of each kind. */
const operands: { type: RType; value: () => ArrayLike; label: string }[] = [
  { type: { dtype: "float32", weak: false }, value: () => arrays.float32, label: "f32[2]" },
  { type: { dtype: "int32", weak: false }, value: () => arrays.int32, label: "i32[2]" },
  { type: { dtype: "bool", weak: false }, value: () => arrays.bool, label: "bool[2]" },
  { type: { dtype: "int32", weak: true }, value: () => 2, label: "2 (weak int)" },
  { type: { dtype: "float32", weak: true }, value: () => 0.5, label: "0.5 (weak float)" },
  { type: { dtype: "bool", weak: false }, value: () => true, label: "true" },
];

describe("promotion table (np.add, np.maximum, np.where) against the pinned rules", () => {
  for (const a of operands) {
    for (const b of operands) {
      it(`${a.label} ⊕ ${b.label}`, () => {
        const want = resultType(a.type, b.type);
        for (const mode of MODES) {
          // Operands are closed over, so constants stay constants under jit too.
          const sum = runMode(mode, () => np.maximum(a.value(), b.value()), []);
          expect(sum.dtype, `${mode} dtype`).toBe(want.dtype);
          expect(sum.weakType, `${mode} weak_type`).toBe(want.weak);
          const sel = runMode(mode, () => np.where(true, a.value(), b.value()), []);
          expect(sel.dtype, `${mode} where dtype`).toBe(want.dtype);
        }
      });
    }
  }

  it("pinned examples: weak scalars never widen an array within its kind", () => {
    expect(np.add(arrays.int32, 1).dtype).toBe("int32");
    expect(np.add(arrays.int32, 1.5).dtype).toBe("float32");
    expect(np.add(arrays.float32, 1).dtype).toBe("float32");
    expect(np.add(arrays.bool, 1).dtype).toBe("int32");
    expect(np.add(arrays.bool, arrays.int32).dtype).toBe("int32");
    expect(np.add(arrays.int32, arrays.float32).dtype).toBe("float32");
    // int32 + weak float keeps its values exact in float32: 3 + 0.5.
    expect(np.add(arrays.int32, 0.5).dataSync()).toEqual(new Float32Array([3.5, -3.5]));
    // A JS number is integral by value: 2.0 is a weak int.
    expect(np.multiply(arrays.int32, 2.0).dtype).toBe("int32");
  });

  it("true division and transcendental functions make integers float32", () => {
    expect(np.divide(arrays.int32, 2).dtype).toBe("float32");
    expect(np.divide(arrays.int32, arrays.int32).dtype).toBe("float32");
    expect(np.exp(arrays.bool).dtype).toBe("float32");
    expect(np.sqrt(4).dtype).toBe("float32");
    expect(np.mean(arrays.int32).dtype).toBe("float32");
    expect(np.sum(arrays.bool).dtype).toBe("int32");
    expect(np.argmax(arrays.float32).dtype).toBe("int32");
    expect(np.greater(arrays.float32, 1).dtype).toBe("bool");
  });
});

describe("weak types under tracing", () => {
  it("a traced JS number argument is a weak float32 scalar whatever its value", () => {
    const add = (x: NDArray, s: number) => np.add(x, s);
    expect(makeJaxpr(add)(arrays.int32, 1).toString()).toBe(
      // As in JAX: i32 ⊔ f* = f*, so the array is converted to a weak float32.
      "{ lambda ; a:i32[2] b:f32[]. let\n    c:f32[2] = convert_element_type[new_dtype=float32 weak_type=True] a\n    d:f32[2] = add c b\n  in (d,) }",
    );
    const f = jit(add);
    const r1 = f(arrays.int32, 1);
    const r2 = f(arrays.int32, 1.5);
    expect(r1.dtype).toBe("float32");
    expect(r1.dataSync()).toEqual(new Float32Array([4, -3]));
    expect(r2.dataSync()).toEqual(new Float32Array([4.5, -2.5]));
    expect(f.stats.compiles).toBe(1);
    // With a float32 array the weak scalar leaves the dtype alone.
    expect(f(arrays.float32, 2).dtype).toBe("float32");
  });

  it("a JS number constant inside the function is a weak int if integral, else a weak float", () => {
    expect(makeJaxpr((x: NDArray) => x.mul(2))(arrays.int32).toString()).toBe("{ lambda ; a:i32[2]. let b:i32[2] = mul a 2:i32[] in (b,) }");
    expect(makeJaxpr((x: NDArray) => x.mul(2))(arrays.float32).toString()).toBe("{ lambda ; a:f32[2]. let b:f32[2] = mul a 2.0:f32[] in (b,) }");
    expect(makeJaxpr((x: NDArray) => x.mul(2.5))(arrays.float32).toString()).toBe("{ lambda ; a:f32[2]. let b:f32[2] = mul a 2.5:f32[] in (b,) }");
  });

  it("a traced JS boolean argument is a bool scalar", () => {
    const f = jit((x: NDArray, flag: boolean) => np.where(flag, x, 0));
    expect(Array.from(f(arrays.float32, true).dataSync())).toEqual([1.5, -2]);
    expect(Array.from(f(arrays.float32, false).dataSync())).toEqual([0, 0]);
    expect(f.stats.compiles).toBe(1);
  });

  it("weak results of scalar-only arithmetic stay weak, and join an array's dtype later", () => {
    for (const mode of MODES) {
      const out = runMode(mode, (x) => np.add(x, np.multiply(2, 3)), [arrays.int32]);
      expect(out.dtype).toBe("int32");
      expect(Array.from(out.dataSync())).toEqual([9, 2]);
      const f = runMode(mode, (x) => np.add(x, np.divide(1, 4)), [arrays.int32]);
      expect(f.dtype).toBe("float32");
      expect(Array.from(f.dataSync())).toEqual([3.25, -3.75]);
    }
  });
});

describe("float16 on the cpu backend", () => {
  it("is refused with a DTypeError that says where float16 works", () => {
    expect(() => np.ones([2], { dtype: "float16" })).toThrow(DTypeError);
    expect(() => np.ones([2], { dtype: "float16" })).toThrow(/webgpu/);
  });
});
