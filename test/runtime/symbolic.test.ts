import { describe, expect, it } from "vitest";
import {
  InconclusiveDimensionError, concreteDim, dimAdd, dimDivExact, dimEqual, dimMul, dimProduct, dimSub, dimSubstitute, sym,
} from "../../runtime/symbolic.js";

const n = sym("n"), m = sym("m");

describe("symbolic dimensions", () => {
  it("normalizes, and constant results are plain numbers", () => {
    expect(dimAdd(2, 3)).toBe(5);
    expect(dimSub(dimAdd(n, 4), n)).toBe(4);
    expect(String(dimMul(n, 4))).toBe("4*n");
    expect(String(dimAdd(dimMul(n, m), dimSub(n, 1)))).toBe("m*n + n - 1");
    expect(String(dimProduct([n, 2, m, n]))).toBe("2*m*n*n");
  });

  it("compares structurally", () => {
    expect(dimEqual(dimMul(n, m), dimMul(m, n))).toBe(true);
    expect(dimEqual(n, m)).toBe(false);
    expect(dimEqual(n, 3)).toBe(false);
    expect(dimEqual(dimAdd(n, n), dimMul(2, n))).toBe(true);
  });

  it("divides exactly or refuses", () => {
    expect(String(dimDivExact(dimMul(n, 4), 4))).toBe("n");
    expect(dimDivExact(dimMul(n, m), n)).toEqual(m);
    expect(dimDivExact(dimMul(n, 4), 3)).toBeNull();
    expect(dimDivExact(dimAdd(n, 1), n)).toBeNull();
    expect(dimDivExact(12, 4)).toBe(3);
    expect(dimDivExact(dimAdd(n, m), dimAdd(m, n))).toBe(1);
  });

  it("evaluates and prints JavaScript", () => {
    const d = dimAdd(dimMul(dimMul(n, m), 2), dimSub(n, 1));
    expect(d instanceof Object && "evaluate" in d ? d.evaluate({ n: 3, m: 5 }) : NaN).toBe(2 * 15 + 3 - 1);
    expect((d as ReturnType<typeof sym>).toJs((v) => `d_${v}`)).toBe("(2 * d_m * d_n + d_n + -1)");
  });

  it("substitutes unified variables", () => {
    expect(dimSubstitute(dimMul(n, m), new Map([["m", n]])).toString()).toBe("n*n");
    expect(dimSubstitute(dimAdd(n, m), new Map([["n", 784]])).toString()).toBe("m + 784");
    expect(dimSubstitute(dimMul(n, 2), new Map([["n", 5]]))).toBe(10);
  });

  it("refuses to become a JS number", () => {
    expect(() => +n).toThrow(InconclusiveDimensionError);
    expect(() => (n as unknown as number) > 3).toThrow(InconclusiveDimensionError);
    expect(`${n}`).toBe("n");
    expect(() => concreteDim(n, "axis 0")).toThrow(/axis 0 'n'/);
    expect(concreteDim(7)).toBe(7);
  });
});
