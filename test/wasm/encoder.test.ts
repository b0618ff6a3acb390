// The WebAssembly encoder: byte-exact goldens (derived by hand from the binary format
// spec), modules validated by WebAssembly.validate and run, LEB128 edge cases, the text printer.

import { describe, expect, it } from "vitest";
import { ByteWriter, FunctionBuilder, ModuleBuilder, moduleToText } from "../../runtime/backend/wasm/encoder.js";
import { wasmApi, type WasmImports } from "../../runtime/backend/wasm/api.js";

const WebAssembly = wasmApi!;

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

function instantiate(bytes: Uint8Array, imports: WasmImports = {}): Record<string, unknown> {
  expect(WebAssembly.validate(bytes)).toBe(true);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
}

describe("wasm encoder: goldens", () => {
  it("an add function, byte for byte", () => {
    const m = new ModuleBuilder();
    const f = new FunctionBuilder(["i32", "i32"], ["i32"]);
    f.get(0).get(1).op("i32.add");
    m.addFunction(f, "add");
    const bytes = m.encode();
    expect(hex(bytes)).toBe(
      "00 61 73 6d 01 00 00 00 " + // magic, version
      "01 07 01 60 02 7f 7f 01 7f " + // type: (i32 i32) -> i32
      "03 02 01 00 " + // function 0 has type 0
      "07 07 01 03 61 64 64 00 00 " + // export "add" = func 0
      "0a 09 01 07 00 20 00 20 01 6a 0b", // body: no locals; local.get 0, local.get 1, i32.add, end
    );
    expect((instantiate(bytes).add as (a: number, b: number) => number)(2, 40)).toBe(42);
  });

  it("a SIMD add over a shared imported memory, byte for byte", () => {
    const m = new ModuleBuilder();
    m.importMemory("env", "m", { initial: 1, maximum: 2, shared: true });
    const f = new FunctionBuilder([], []);
    f.i32(0).i32(16).load("v128.load").i32(32).load("v128.load").op("f32x4.add").store("v128.store");
    m.addFunction(f, "f");
    const bytes = m.encode();
    expect(hex(bytes)).toBe(
      "00 61 73 6d 01 00 00 00 " +
      "01 04 01 60 00 00 " + // type: () -> ()
      "02 0b 01 03 65 6e 76 01 6d 02 03 01 02 " + // import "env" "m" memory, shared, min 1 max 2
      "03 02 01 00 " +
      "07 05 01 01 66 00 00 " + // export "f"
      "0a 19 01 17 00 41 00 41 10 fd 00 04 00 41 20 fd 00 04 00 fd e4 01 fd 0b 04 00 0b",
    );
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    const f32 = new Float32Array(memory.buffer);
    f32.set([1, 2, 3, 4], 4);
    f32.set([10, 20, 30, 0.5], 8);
    (instantiate(bytes, { env: { m: memory } }).f as () => void)();
    expect(Array.from(f32.subarray(0, 4))).toEqual([11, 22, 33, 4.5]);
  });
});

describe("wasm encoder: LEB128 and constants", () => {
  const enc = (f: (w: ByteWriter) => void) => {
    const w = new ByteWriter();
    f(w);
    return hex(w.toBytes());
  };

  it("writes unsigned and signed LEB128 at their edges", () => {
    expect(enc((w) => w.u32(0))).toBe("00");
    expect(enc((w) => w.u32(127))).toBe("7f");
    expect(enc((w) => w.u32(128))).toBe("80 01");
    expect(enc((w) => w.u32(624485))).toBe("e5 8e 26");
    expect(enc((w) => w.u32(0xffffffff))).toBe("ff ff ff ff 0f");
    expect(enc((w) => w.s32(-1))).toBe("7f");
    expect(enc((w) => w.s32(63))).toBe("3f");
    expect(enc((w) => w.s32(64))).toBe("c0 00");
    expect(enc((w) => w.s32(-64))).toBe("40");
    expect(enc((w) => w.s32(-65))).toBe("bf 7f");
    expect(enc((w) => w.s32(-123456))).toBe("c0 bb 78");
    expect(enc((w) => w.s32(-2147483648))).toBe("80 80 80 80 78");
    expect(enc((w) => w.s64(-1n))).toBe("7f");
    expect(enc((w) => w.s64(9223372036854775807n))).toBe("ff ff ff ff ff ff ff ff ff 00");
    expect(() => new ByteWriter().u32(-1)).toThrow(RangeError);
  });

  it("round-trips integer and float constants through running code", () => {
    const m = new ModuleBuilder();
    const cases: [string, () => FunctionBuilder, number | bigint][] = [
      ["i32min", () => new FunctionBuilder([], ["i32"]).i32(-2147483648), -2147483648],
      ["i32big", () => new FunctionBuilder([], ["i32"]).i32(0xdeadbeef), 0xdeadbeef | 0],
      ["i64", () => new FunctionBuilder([], ["i64"]).i64(-(2n ** 63n)), -(2n ** 63n)],
      ["f32", () => new FunctionBuilder([], ["f32"]).f32(0.1), Math.fround(0.1)],
      ["f32denorm", () => new FunctionBuilder([], ["f32"]).f32(1e-45), Math.fround(1e-45)],
      ["f64", () => new FunctionBuilder([], ["f64"]).f64(-Math.PI), -Math.PI],
      ["lane", () => new FunctionBuilder([], ["f32"]).f32x4(1, 2, 3, 4).lane("f32x4.extract_lane", 2), 3],
      ["shuffle", () => new FunctionBuilder([], ["i32"]).i32x4(1, 2, 3, 4).i32x4(5, 6, 7, 8)
        .shuffle([28, 29, 30, 31, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).lane("i32x4.extract_lane", 0), 8],
    ];
    for (const [name, f] of cases) m.addFunction(f(), name);
    const ex = instantiate(m.encode());
    for (const [name, , want] of cases) expect((ex[name] as () => unknown)(), name).toBe(want);
  });
});

describe("wasm encoder: control flow and memory", () => {
  it("loops with labels, br_table, if/else, calls and saturating truncation", () => {
    const m = new ModuleBuilder();
    // sum(n) = 0 + 1 + ... + (n-1)
    const sum = new FunctionBuilder(["i32"], ["i32"]);
    const i = sum.local("i32"), acc = sum.local("i32");
    const exit = sum.block();
    const top = sum.loop();
    sum.get(i).get(0).op("i32.ge_s").brIf(exit);
    sum.get(acc).get(i).op("i32.add").set(acc);
    sum.get(i).i32(1).op("i32.add").set(i).br(top);
    sum.end().end().get(acc);
    const sumIndex = m.addFunction(sum, "sum");
    // pick(k): 10, 20, 30 for k = 0, 1, 2, else 99 (br_table), plus sum(4) through a call.
    const pick = new FunctionBuilder(["i32"], ["i32"]);
    const r = pick.local("i32");
    const done = pick.block();
    const other = pick.block(), c2 = pick.block(), c1 = pick.block(), c0 = pick.block();
    pick.get(0).brTable([c0, c1, c2], other);
    pick.end().i32(10).set(r).br(done);
    pick.end().i32(20).set(r).br(done);
    pick.end().i32(30).set(r).br(done);
    pick.end().i32(99).set(r);
    pick.end().get(r).i32(4).call(sumIndex).op("i32.add");
    m.addFunction(pick, "pick");
    const sat = new FunctionBuilder(["f32"], ["i32"]);
    sat.get(0).op("i32.trunc_sat_f32_s");
    m.addFunction(sat, "sat");
    const sign = new FunctionBuilder(["f64"], ["f64"]);
    sign.get(0).f64(0).op("f64.lt");
    sign.if("f64");
    sign.f64(-1).else().f64(1).end();
    m.addFunction(sign, "sign");
    const ex = instantiate(m.encode()) as Record<string, (x: number) => number>;
    expect(ex.sum!(100)).toBe(4950);
    expect([0, 1, 2, 3, -1].map(ex.pick!)).toEqual([16, 26, 36, 105, 105]);
    expect([1e10, -1e10, NaN, -2.7].map(ex.sat!)).toEqual([2147483647, -2147483648, 0, -2]);
    expect([-3, 4].map(ex.sign!)).toEqual([-1, 1]);
  });

  it("loads and stores with offsets and narrow widths, memory.fill/copy, globals, imports", () => {
    const m = new ModuleBuilder();
    m.importMemory("env", "memory", { initial: 1 });
    const log = m.importFunction("env", "log", ["f64"], ["f64"]);
    const g = m.addGlobal("i32", true, 7, "g");
    const f = new FunctionBuilder([], ["f64"]);
    f.i32(0).i32(0xff).i32(8).memoryFill(); // bytes 0..7 = 0xff
    f.i32(8).i32(0).i32(4).memoryCopy(); // bytes 8..11 = 0xff
    f.i32(16).i32(300).store("i32.store8", 4); // byte 20 = 300 & 255
    f.i32(0).load("i32.load8_s", 20).globalGet(g).op("i32.add").globalSet(g); // g = 7 + 44
    f.i32(0).load("i32.load16_s", 8).op("f64.convert_i32_s").call(log);
    m.addFunction(f, "run");
    const memory = new WebAssembly.Memory({ initial: 1 });
    const ex = instantiate(m.encode(), { env: { memory, log: (x: number) => x * 2 } });
    expect((ex.run as () => number)()).toBe(-2);
    expect((ex.g as { value: number }).value).toBe(51);
    expect(new Uint8Array(memory.buffer, 0, 12).every((b) => b === 0xff)).toBe(true);
  });

  it("refuses unbalanced blocks and branches to closed labels", () => {
    const f = new FunctionBuilder([], []);
    const b = f.block();
    expect(() => f.encodeBody()).toThrow(/left open/);
    f.end();
    expect(() => f.br(b)).toThrow(/closed block/);
  });
});

describe("wasm encoder: text", () => {
  it("prints a module as WAT-like text from its bytes", () => {
    const m = new ModuleBuilder();
    m.importMemory("env", "memory", { initial: 1, maximum: 100, shared: true });
    const f = new FunctionBuilder(["i32"], []);
    const v = f.local("v128");
    f.get(0).load("v128.load", 16).f32x4(2).op("f32x4.mul").set(v);
    const exit = f.block();
    f.get(0).op("i32.eqz").brIf(exit);
    f.get(0).get(v).store("v128.store");
    f.end();
    m.addFunction(f, "run");
    expect(moduleToText(m.encode())).toBe([
      "(module",
      "  (type 0 (func (param i32)))",
      '  (import "env" "memory" (memory 1 100 shared))',
      '  (export "run" (func 0))',
      "  (func 0 $run (type 0) (param i32)",
      "    (local v128)",
      "    local.get 0",
      "    v128.load offset=16 align=16",
      "    v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000",
      "    f32x4.mul",
      "    local.set 1",
      "    block",
      "      local.get 0",
      "      i32.eqz",
      "      br_if 0",
      "      local.get 0",
      "      local.get 1",
      "      v128.store align=16",
      "    end))",
    ].join("\n"));
  });
});
