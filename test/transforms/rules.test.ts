// Every primitive's JVP rule against central finite differences, and its transpose against
// the JVP by the dot-product identity (so reverse mode is checked primitive by primitive).
import { describe, expect, it } from "vitest";
import { jvp, grad, lax, np, type NDArray } from "tsjit";
import { checkDerivatives, randn, rng, toF64 } from "./helpers.js";

const r = rng(42);
const x34 = () => randn(r, [3, 4]);
const pos34 = () => randn(r, [3, 4], 0.5, 2);

describe("JVP and transpose rules, per primitive", () => {
  const unary: [string, (x: NDArray) => NDArray, () => NDArray][] = [
    ["neg", (x) => np.negative(x), x34],
    ["abs", (x) => np.abs(x), pos34],
    ["exp", (x) => np.exp(x), x34],
    ["log", (x) => np.log(x), pos34],
    ["log1p", (x) => np.log1p(x), pos34],
    ["expm1", (x) => np.expm1(x), x34],
    ["tanh", (x) => np.tanh(x), x34],
    ["logistic", (x) => np.sigmoid(x), x34],
    ["sin", (x) => np.sin(x), x34],
    ["cos", (x) => np.cos(x), x34],
    ["tan", (x) => np.tan(x), x34],
    ["sqrt", (x) => np.sqrt(x), pos34],
    ["erf", (x) => np.erf(x), x34],
    ["erfc", (x) => np.erfc(x), x34],
    ["reciprocal", (x) => np.reciprocal(x), pos34],
    ["square", (x) => np.square(x), x34],
    ["clip (max/min)", (x) => np.clip(x, -0.3, 0.4), x34],
    ["astype (int -> float operand)", (x) => np.add(x, np.arange(4).astype("float32")), x34],
  ];
  for (const [name, f, make] of unary) it(name, () => checkDerivatives(f, [make()], 1, undefined));

  const binary: [string, (a: NDArray, b: NDArray) => NDArray, () => NDArray, () => NDArray][] = [
    ["add (broadcast)", (a, b) => np.add(a, b), x34, () => randn(r, [4])],
    ["subtract", (a, b) => np.subtract(a, b), x34, x34],
    ["multiply (scalar operand)", (a, b) => np.multiply(a, b), x34, () => randn(r, [])],
    ["divide", (a, b) => np.divide(a, b), x34, pos34],
    ["mod", (a, b) => np.mod(a, b), () => randn(r, [3, 4], 0.1, 0.9), () => randn(r, [3, 4], 1.1, 2)],
    ["power", (a, b) => np.power(a, b), pos34, x34],
    ["arctan2", (a, b) => np.arctan2(a, b), x34, pos34],
    ["maximum", (a, b) => np.maximum(a, b), x34, x34],
    ["minimum", (a, b) => np.minimum(a, b), x34, x34],
    ["where (select_n)", (a, b) => np.where(np.greater(a, b), a, np.multiply(b, 2)), x34, x34],
    ["matmul", (a, b) => np.matmul(a, b), x34, () => randn(r, [4, 5])],
    ["matmul batched", (a, b) => np.matmul(a, b), () => randn(r, [2, 3, 4]), () => randn(r, [2, 4, 5])],
    ["matmul vector", (a, b) => np.matmul(a, b), () => randn(r, [4]), () => randn(r, [4, 3])],
    ["dot", (a, b) => np.dot(a, b), () => randn(r, [5]), () => randn(r, [5])],
    ["outer", (a, b) => np.outer(a, b), () => randn(r, [3]), () => randn(r, [2])],
    ["concatenate", (a, b) => np.concatenate([a, b], 1), x34, () => randn(r, [3, 2])],
    ["stack", (a, b) => np.stack([a, b], 0), x34, x34],
  ];
  for (const [name, f, ma, mb] of binary) it(name, () => checkDerivatives(f, [ma(), mb()]));

  const reductions: [string, (x: NDArray) => NDArray][] = [
    ["sum", (x) => np.sum(x)],
    ["sum axis", (x) => np.sum(x, 1)],
    ["mean", (x) => np.mean(x, 0)],
    ["prod", (x) => np.prod(x, 1)],
    ["max", (x) => np.max(x, 1)],
    ["min", (x) => np.min(x)],
  ];
  for (const [name, f] of reductions) it(name, () => checkDerivatives(f, [pos34()]));

  const structural: [string, (x: NDArray) => NDArray][] = [
    ["reshape", (x) => x.reshape(2, 6)],
    ["transpose", (x) => np.transpose(x)],
    ["broadcastTo", (x) => np.broadcastTo(x, [2, 3, 4])],
    ["expandDims + squeeze", (x) => np.squeeze(np.expandDims(x, 1).mul(2), 1)],
    ["slice", (x) => x.slice([1, 3], [0, 4, 2])],
    ["slice strided offset", (x) => x.slice(":", [1, null, 2])],
    ["swapaxes", (x) => np.swapaxes(np.expandDims(x, 0), 0, 2)],
  ];
  for (const [name, f] of structural) it(name, () => checkDerivatives(f, [x34()]));

  it("piecewise-constant and integer-valued ops have zero tangents", () => {
    const x = randn(r, [5]);
    for (const f of [(v: NDArray) => np.floor(v), (v: NDArray) => np.ceil(v), (v: NDArray) => np.round(v), (v: NDArray) => np.sign(v),
      (v: NDArray) => np.greater(v, 0).astype("float32"), (v: NDArray) => np.argmax(v).astype("float32"), (v: NDArray) => v.astype("int32").astype("float32")]) {
      const [, t] = jvp(f, [x], [np.ones([5])]) as [NDArray, NDArray];
      expect(Array.from(t.dataSync())).toEqual(new Array(t.size).fill(0));
    }
  });

  it("argmax output is an integer with no tangent; the max's gradient is one-hot", () => {
    const x = np.array([0.1, 0.9, 0.3]);
    const [o, t] = jvp((v: NDArray) => np.argmax(v), [x], [np.ones([3])]) as [NDArray, NDArray];
    expect(o.dtype).toBe("int32");
    expect(t.dtype).toBe("int32");
    expect(Array.from(toF64(grad((v: NDArray) => np.max(v))(x) as NDArray))).toEqual([0, 1, 0]);
  });

  it("lax.stopGradient blocks the derivative", () => {
    const f = (x: NDArray) => np.multiply(x, lax.stopGradient(x)).sum();
    const g = grad(f)(np.array([1, 2, 3])) as NDArray;
    expect(Array.from(g.dataSync())).toEqual([1, 2, 3]);
  });
});
