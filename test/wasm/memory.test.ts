// The wasm backend's arena, shared and not: bins reuse blocks, freed neighbours merge before
// the memory grows, growth keeps data, and whole-memory views are re-made after growth (an
// ordinary memory detaches its old buffer; a shared one does not).

import { describe, expect, it } from "vitest";
import { Arena } from "../../runtime/backend/wasm/memory.js";

describe.each([true, false])("wasm arena (shared: %s)", (shared) => {
  it("reuses freed blocks of the same size, 16-byte aligned", () => {
    const a = new Arena(shared);
    expect(a.shared).toBe(shared);
    const x = a.alloc(100), y = a.alloc(100);
    expect(x.offset % 16).toBe(0);
    expect(y.offset - x.offset).toBe(112);
    a.release(x);
    expect(a.alloc(97).offset).toBe(x.offset);
  });

  it("grows the memory, keeping data; views are re-made, never stale", () => {
    const a = new Arena(shared);
    const x = a.alloc(16);
    a.view("f32")[x.offset / 4] = 1.5;
    const before = a.buffer.byteLength;
    const big = a.alloc(before * 2); // beyond the current size
    expect(a.buffer.byteLength).toBeGreaterThan(before);
    expect(a.view("f32").length * 4).toBe(a.buffer.byteLength);
    expect(a.view("f32")[x.offset / 4]).toBe(1.5);
    a.view("u8")[big.offset + before * 2 - 1] = 7;
    expect(a.view("u8")[big.offset + before * 2 - 1]).toBe(7);
  });

  it("merges freed neighbours and reuses them before growing", () => {
    const a = new Arena(shared);
    const size = a.buffer.byteLength;
    const blocks = Array.from({ length: 15 }, () => a.alloc(size / 16)); // the memory is nearly full
    for (const b of blocks.slice(2, 6)) a.release(b);
    const merged = a.alloc(size / 4); // four freed neighbours make room for it
    expect(merged.offset).toBe(blocks[2]!.offset);
    expect(a.buffer.byteLength).toBe(size);
  });
});
