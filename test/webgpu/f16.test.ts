// float16 bit conversions used for webgpu uploads and readback (no GPU needed).

import { describe, expect, it } from "vitest";
import { f16Bits, fromF16Bits } from "../../runtime/backend/webgpu/buffers.js";

describe("float16 conversions", () => {
  it("round-trip every half-precision value; round to nearest even; overflow to infinity", () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = fromF16Bits(h);
      if (Number.isNaN(v)) expect(f16Bits(v) & 0x7c00).toBe(0x7c00);
      else expect(f16Bits(v)).toBe(h);
    }
    expect(fromF16Bits(f16Bits(1 + 2 ** -11))).toBe(1); // a tie rounds to even
    expect(fromF16Bits(f16Bits(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9);
    expect(fromF16Bits(f16Bits(65520))).toBe(Infinity);
    expect(fromF16Bits(f16Bits(65519))).toBe(65504);
    expect(fromF16Bits(f16Bits(2 ** -25))).toBe(0); // half the smallest subnormal: a tie, to even (0)
    expect(fromF16Bits(f16Bits(3 * 2 ** -26))).toBe(2 ** -24);
  });
});
