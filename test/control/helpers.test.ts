// The lax tests' comparison helper must be able to fail: NaN, shape and dtype included.
import { describe, expect, it } from "vitest";
import { np } from "tsjit";
import { expectClose } from "./helpers.js";

describe("expectClose (test/control/helpers)", () => {
  it("passes equal values, NaN only where NaN is expected", () => {
    expectClose(np.array([1, NaN, Infinity]), [1, NaN, Infinity]);
    expectClose(np.array([[1, 2], [3, 4]]), [[1, 2], [3, 4]]);
    expectClose(np.asarray(2), 2);
  });

  it("fails on NaN, a wrong shape, a wrong dtype, infinities and far values", () => {
    expect(() => expectClose(np.array([NaN]), [1])).toThrow();
    expect(() => expectClose(np.array([1]), [NaN])).toThrow();
    expect(() => expectClose(np.array([Infinity]), [1e30])).toThrow();
    expect(() => expectClose(np.array([1, 2, 3, 4]).reshape(2, 2), [1, 2, 3, 4])).toThrow();
    expect(() => expectClose(np.asarray(1), [1])).toThrow();
    expect(() => expectClose(np.array([1], { dtype: "int32" }), [1])).toThrow();
    expect(() => expectClose(np.array([1.001]), [1])).toThrow();
  });
});
