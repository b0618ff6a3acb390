// A WebAssembly binary encoder written for tsjit (no toolchain at run time), and a printer
// that turns the bytes it writes back into WAT-like text.
//
// Usage:
//
//   const m = new ModuleBuilder();
//   m.importMemory("env", "memory", { initial: 1, maximum: 65536, shared: true });
//   const f = new FunctionBuilder(["i32", "i32"], []);   // params are locals 0..n-1
//   const i = f.local("i32");                             // more locals
//   const exit = f.block();                               // labels are objects, not depths
//   const top = f.loop();
//   f.get(i).get(1).op("i32.ge_s").brIf(exit);           // break when i >= n
//   f.get(0).get(i).i32(2).op("i32.shl").op("i32.add")   // address = p + 4i
//     .f32(1.5).store("f32.store");                       // memory ops take offset/align
//   f.get(i).i32(1).op("i32.add").set(i).br(top);
//   f.end().end();                                         // closes loop, block
//   m.addFunction(f, "run");                              // exported as "run"
//   const bytes = m.encode();                             // Uint8Array, a whole module
//   moduleToText(bytes);                                  // "(module (import ...) (func ...))"
//
// Opcodes are named as in the WebAssembly text format ("i32.add", "f32x4.mul",
// "i32.trunc_sat_f32_s"); the name tables below are the only place their numbers appear.
// `op` takes any instruction without immediates (MVP, the 0xfc saturating conversions and
// the 0xfd SIMD ops); instructions with immediates have their own methods (`i32`, `f32`,
// `v128`, `load`/`store`, `lane`, `shuffle`, `get`/`set`/`tee`, control flow, `call`).
// Code is written as bytes as it is built; `moduleToText` decodes those bytes, so the text
// shows exactly what runs. The function body ends with the implicit `end` written by
// `ModuleBuilder.encode` (every block a builder opens must be closed with `end()`).

export type ValType = "i32" | "i64" | "f32" | "f64" | "v128";

const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };
const VALTYPE_NAME = new Map(Object.entries(VALTYPE).map(([k, v]) => [v, k as ValType]));

// --- opcode tables ------------------------------------------------------------------------

/** One-byte instructions without immediates. */
const PLAIN = {
  unreachable: 0x00, nop: 0x01, return: 0x0f, drop: 0x1a, select: 0x1b,
  "i32.eqz": 0x45, "i32.eq": 0x46, "i32.ne": 0x47, "i32.lt_s": 0x48, "i32.lt_u": 0x49, "i32.gt_s": 0x4a, "i32.gt_u": 0x4b,
  "i32.le_s": 0x4c, "i32.le_u": 0x4d, "i32.ge_s": 0x4e, "i32.ge_u": 0x4f,
  "i64.eqz": 0x50, "i64.eq": 0x51, "i64.ne": 0x52, "i64.lt_s": 0x53, "i64.lt_u": 0x54, "i64.gt_s": 0x55, "i64.gt_u": 0x56,
  "i64.le_s": 0x57, "i64.le_u": 0x58, "i64.ge_s": 0x59, "i64.ge_u": 0x5a,
  "f32.eq": 0x5b, "f32.ne": 0x5c, "f32.lt": 0x5d, "f32.gt": 0x5e, "f32.le": 0x5f, "f32.ge": 0x60,
  "f64.eq": 0x61, "f64.ne": 0x62, "f64.lt": 0x63, "f64.gt": 0x64, "f64.le": 0x65, "f64.ge": 0x66,
  "i32.clz": 0x67, "i32.ctz": 0x68, "i32.popcnt": 0x69, "i32.add": 0x6a, "i32.sub": 0x6b, "i32.mul": 0x6c,
  "i32.div_s": 0x6d, "i32.div_u": 0x6e, "i32.rem_s": 0x6f, "i32.rem_u": 0x70, "i32.and": 0x71, "i32.or": 0x72,
  "i32.xor": 0x73, "i32.shl": 0x74, "i32.shr_s": 0x75, "i32.shr_u": 0x76, "i32.rotl": 0x77, "i32.rotr": 0x78,
  "i64.clz": 0x79, "i64.ctz": 0x7a, "i64.popcnt": 0x7b, "i64.add": 0x7c, "i64.sub": 0x7d, "i64.mul": 0x7e,
  "i64.div_s": 0x7f, "i64.div_u": 0x80, "i64.rem_s": 0x81, "i64.rem_u": 0x82, "i64.and": 0x83, "i64.or": 0x84,
  "i64.xor": 0x85, "i64.shl": 0x86, "i64.shr_s": 0x87, "i64.shr_u": 0x88, "i64.rotl": 0x89, "i64.rotr": 0x8a,
  "f32.abs": 0x8b, "f32.neg": 0x8c, "f32.ceil": 0x8d, "f32.floor": 0x8e, "f32.trunc": 0x8f, "f32.nearest": 0x90,
  "f32.sqrt": 0x91, "f32.add": 0x92, "f32.sub": 0x93, "f32.mul": 0x94, "f32.div": 0x95, "f32.min": 0x96,
  "f32.max": 0x97, "f32.copysign": 0x98,
  "f64.abs": 0x99, "f64.neg": 0x9a, "f64.ceil": 0x9b, "f64.floor": 0x9c, "f64.trunc": 0x9d, "f64.nearest": 0x9e,
  "f64.sqrt": 0x9f, "f64.add": 0xa0, "f64.sub": 0xa1, "f64.mul": 0xa2, "f64.div": 0xa3, "f64.min": 0xa4,
  "f64.max": 0xa5, "f64.copysign": 0xa6,
  "i32.wrap_i64": 0xa7, "i32.trunc_f32_s": 0xa8, "i32.trunc_f32_u": 0xa9, "i32.trunc_f64_s": 0xaa, "i32.trunc_f64_u": 0xab,
  "i64.extend_i32_s": 0xac, "i64.extend_i32_u": 0xad, "i64.trunc_f32_s": 0xae, "i64.trunc_f32_u": 0xaf,
  "i64.trunc_f64_s": 0xb0, "i64.trunc_f64_u": 0xb1, "f32.convert_i32_s": 0xb2, "f32.convert_i32_u": 0xb3,
  "f32.convert_i64_s": 0xb4, "f32.convert_i64_u": 0xb5, "f32.demote_f64": 0xb6, "f64.convert_i32_s": 0xb7,
  "f64.convert_i32_u": 0xb8, "f64.convert_i64_s": 0xb9, "f64.convert_i64_u": 0xba, "f64.promote_f32": 0xbb,
  "i32.reinterpret_f32": 0xbc, "i64.reinterpret_f64": 0xbd, "f32.reinterpret_i32": 0xbe, "f64.reinterpret_i64": 0xbf,
  "i32.extend8_s": 0xc0, "i32.extend16_s": 0xc1, "i64.extend8_s": 0xc2, "i64.extend16_s": 0xc3, "i64.extend32_s": 0xc4,
} as const;

/** 0xfc-prefixed instructions without immediates (saturating truncation). */
const MISC = {
  "i32.trunc_sat_f32_s": 0, "i32.trunc_sat_f32_u": 1, "i32.trunc_sat_f64_s": 2, "i32.trunc_sat_f64_u": 3,
  "i64.trunc_sat_f32_s": 4, "i64.trunc_sat_f32_u": 5, "i64.trunc_sat_f64_s": 6, "i64.trunc_sat_f64_u": 7,
} as const;

/** 0xfd-prefixed (SIMD) instructions without immediates. */
const SIMD = {
  "i8x16.swizzle": 0x0e, "i8x16.splat": 0x0f, "i16x8.splat": 0x10, "i32x4.splat": 0x11, "i64x2.splat": 0x12,
  "f32x4.splat": 0x13, "f64x2.splat": 0x14,
  "i8x16.eq": 0x23, "i8x16.ne": 0x24, "i8x16.lt_s": 0x25, "i8x16.lt_u": 0x26, "i8x16.gt_s": 0x27, "i8x16.gt_u": 0x28,
  "i8x16.le_s": 0x29, "i8x16.le_u": 0x2a, "i8x16.ge_s": 0x2b, "i8x16.ge_u": 0x2c,
  "i16x8.eq": 0x2d, "i16x8.ne": 0x2e, "i16x8.lt_s": 0x2f, "i16x8.lt_u": 0x30, "i16x8.gt_s": 0x31, "i16x8.gt_u": 0x32,
  "i16x8.le_s": 0x33, "i16x8.le_u": 0x34, "i16x8.ge_s": 0x35, "i16x8.ge_u": 0x36,
  "i32x4.eq": 0x37, "i32x4.ne": 0x38, "i32x4.lt_s": 0x39, "i32x4.lt_u": 0x3a, "i32x4.gt_s": 0x3b, "i32x4.gt_u": 0x3c,
  "i32x4.le_s": 0x3d, "i32x4.le_u": 0x3e, "i32x4.ge_s": 0x3f, "i32x4.ge_u": 0x40,
  "f32x4.eq": 0x41, "f32x4.ne": 0x42, "f32x4.lt": 0x43, "f32x4.gt": 0x44, "f32x4.le": 0x45, "f32x4.ge": 0x46,
  "f64x2.eq": 0x47, "f64x2.ne": 0x48, "f64x2.lt": 0x49, "f64x2.gt": 0x4a, "f64x2.le": 0x4b, "f64x2.ge": 0x4c,
  "v128.not": 0x4d, "v128.and": 0x4e, "v128.andnot": 0x4f, "v128.or": 0x50, "v128.xor": 0x51, "v128.bitselect": 0x52,
  "v128.any_true": 0x53,
  "f32x4.demote_f64x2_zero": 0x5e, "f64x2.promote_low_f32x4": 0x5f,
  "i8x16.abs": 0x60, "i8x16.neg": 0x61, "i8x16.popcnt": 0x62, "i8x16.all_true": 0x63, "i8x16.bitmask": 0x64,
  "i8x16.narrow_i16x8_s": 0x65, "i8x16.narrow_i16x8_u": 0x66,
  "f32x4.ceil": 0x67, "f32x4.floor": 0x68, "f32x4.trunc": 0x69, "f32x4.nearest": 0x6a,
  "i8x16.shl": 0x6b, "i8x16.shr_s": 0x6c, "i8x16.shr_u": 0x6d, "i8x16.add": 0x6e, "i8x16.sub": 0x71,
  "f64x2.ceil": 0x74, "f64x2.floor": 0x75, "f64x2.trunc": 0x7a,
  "i16x8.narrow_i32x4_s": 0x85, "i16x8.narrow_i32x4_u": 0x86,
  "i16x8.extend_low_i8x16_s": 0x87, "i16x8.extend_high_i8x16_s": 0x88, "i16x8.extend_low_i8x16_u": 0x89, "i16x8.extend_high_i8x16_u": 0x8a,
  "i16x8.shl": 0x8b, "i16x8.shr_s": 0x8c, "i16x8.shr_u": 0x8d, "i16x8.add": 0x8e, "i16x8.sub": 0x91,
  "f64x2.nearest": 0x94, "i16x8.mul": 0x95,
  "i32x4.abs": 0xa0, "i32x4.neg": 0xa1, "i32x4.all_true": 0xa3, "i32x4.bitmask": 0xa4,
  "i32x4.extend_low_i16x8_s": 0xa7, "i32x4.extend_high_i16x8_s": 0xa8, "i32x4.extend_low_i16x8_u": 0xa9, "i32x4.extend_high_i16x8_u": 0xaa,
  "i32x4.shl": 0xab, "i32x4.shr_s": 0xac, "i32x4.shr_u": 0xad, "i32x4.add": 0xae, "i32x4.sub": 0xb1, "i32x4.mul": 0xb5,
  "i32x4.min_s": 0xb6, "i32x4.min_u": 0xb7, "i32x4.max_s": 0xb8, "i32x4.max_u": 0xb9,
  "i64x2.abs": 0xc0, "i64x2.neg": 0xc1, "i64x2.shl": 0xcb, "i64x2.shr_s": 0xcc, "i64x2.shr_u": 0xcd,
  "i64x2.add": 0xce, "i64x2.sub": 0xd1, "i64x2.mul": 0xd5,
  "f32x4.abs": 0xe0, "f32x4.neg": 0xe1, "f32x4.sqrt": 0xe3, "f32x4.add": 0xe4, "f32x4.sub": 0xe5, "f32x4.mul": 0xe6,
  "f32x4.div": 0xe7, "f32x4.min": 0xe8, "f32x4.max": 0xe9, "f32x4.pmin": 0xea, "f32x4.pmax": 0xeb,
  "f64x2.abs": 0xec, "f64x2.neg": 0xed, "f64x2.sqrt": 0xef, "f64x2.add": 0xf0, "f64x2.sub": 0xf1, "f64x2.mul": 0xf2,
  "f64x2.div": 0xf3, "f64x2.min": 0xf4, "f64x2.max": 0xf5, "f64x2.pmin": 0xf6, "f64x2.pmax": 0xf7,
  "i32x4.trunc_sat_f32x4_s": 0xf8, "i32x4.trunc_sat_f32x4_u": 0xf9, "f32x4.convert_i32x4_s": 0xfa, "f32x4.convert_i32x4_u": 0xfb,
  "i32x4.trunc_sat_f64x2_s_zero": 0xfc, "i32x4.trunc_sat_f64x2_u_zero": 0xfd,
  "f64x2.convert_low_i32x4_s": 0xfe, "f64x2.convert_low_i32x4_u": 0xff,
} as const;

/** Memory instructions: [prefix (0 = none, 0xfd = SIMD), opcode, natural alignment as log2 bytes]. */
const MEMORY = {
  "i32.load": [0, 0x28, 2], "i64.load": [0, 0x29, 3], "f32.load": [0, 0x2a, 2], "f64.load": [0, 0x2b, 3],
  "i32.load8_s": [0, 0x2c, 0], "i32.load8_u": [0, 0x2d, 0], "i32.load16_s": [0, 0x2e, 1], "i32.load16_u": [0, 0x2f, 1],
  "i64.load8_s": [0, 0x30, 0], "i64.load8_u": [0, 0x31, 0], "i64.load16_s": [0, 0x32, 1], "i64.load16_u": [0, 0x33, 1],
  "i64.load32_s": [0, 0x34, 2], "i64.load32_u": [0, 0x35, 2],
  "i32.store": [0, 0x36, 2], "i64.store": [0, 0x37, 3], "f32.store": [0, 0x38, 2], "f64.store": [0, 0x39, 3],
  "i32.store8": [0, 0x3a, 0], "i32.store16": [0, 0x3b, 1], "i64.store8": [0, 0x3c, 0], "i64.store16": [0, 0x3d, 1], "i64.store32": [0, 0x3e, 2],
  "v128.load": [0xfd, 0x00, 4], "v128.load8x8_s": [0xfd, 0x01, 3], "v128.load8x8_u": [0xfd, 0x02, 3],
  "v128.load16x4_s": [0xfd, 0x03, 3], "v128.load16x4_u": [0xfd, 0x04, 3], "v128.load32x2_s": [0xfd, 0x05, 3], "v128.load32x2_u": [0xfd, 0x06, 3],
  "v128.load8_splat": [0xfd, 0x07, 0], "v128.load16_splat": [0xfd, 0x08, 1], "v128.load32_splat": [0xfd, 0x09, 2], "v128.load64_splat": [0xfd, 0x0a, 3],
  "v128.store": [0xfd, 0x0b, 4], "v128.load32_zero": [0xfd, 0x5c, 2], "v128.load64_zero": [0xfd, 0x5d, 3],
} as const satisfies Record<string, readonly [number, number, number]>;

/** Lane instructions (one lane-index byte): [opcode, lane count]. */
const LANE = {
  "i8x16.extract_lane_s": [0x15, 16], "i8x16.extract_lane_u": [0x16, 16], "i8x16.replace_lane": [0x17, 16],
  "i16x8.extract_lane_s": [0x18, 8], "i16x8.extract_lane_u": [0x19, 8], "i16x8.replace_lane": [0x1a, 8],
  "i32x4.extract_lane": [0x1b, 4], "i32x4.replace_lane": [0x1c, 4], "i64x2.extract_lane": [0x1d, 2], "i64x2.replace_lane": [0x1e, 2],
  "f32x4.extract_lane": [0x1f, 4], "f32x4.replace_lane": [0x20, 4], "f64x2.extract_lane": [0x21, 2], "f64x2.replace_lane": [0x22, 2],
} as const satisfies Record<string, readonly [number, number]>;

export type PlainOp = keyof typeof PLAIN;
export type MiscOp = keyof typeof MISC;
export type SimdOp = keyof typeof SIMD;
/** Any instruction without immediates. */
export type Op = PlainOp | MiscOp | SimdOp;
export type MemoryOp = keyof typeof MEMORY;
export type LaneOp = keyof typeof LANE;

const has = (table: object, k: string) => Object.prototype.hasOwnProperty.call(table, k);

// Control and variable opcodes (immediates follow).
const C = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, br_table: 0x0e, call: 0x10,
  "local.get": 0x20, "local.set": 0x21, "local.tee": 0x22, "global.get": 0x23, "global.set": 0x24,
  "memory.size": 0x3f, "memory.grow": 0x40, "i32.const": 0x41, "i64.const": 0x42, "f32.const": 0x43, "f64.const": 0x44,
} as const;
const MISC_MEMORY = { "memory.copy": 10, "memory.fill": 11 } as const;
const SIMD_CONST = 0x0c, SIMD_SHUFFLE = 0x0d;

// --- bytes ----------------------------------------------------------------------------------

/** A growable byte buffer with the encodings WebAssembly uses. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;
  private static readonly scratch = new DataView(new ArrayBuffer(8));

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(b: number): this {
    this.reserve(1);
    this.buf[this.length++] = b;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    this.reserve(bs.length);
    this.buf.set(bs, this.length);
    this.length += bs.length;
    return this;
  }

  /** Unsigned LEB128 of a value in [0, 2^32). */
  u32(v: number): this {
    if (!(v >= 0 && v <= 0xffffffff && Number.isInteger(v))) throw new RangeError(`u32 out of range: ${v}`);
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.u8(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a value in [-2^31, 2^32) (values ≥ 2^31 are written as their int32 bit pattern). */
  s32(v: number): this {
    if (!(v >= -0x80000000 && v <= 0xffffffff && Number.isInteger(v))) throw new RangeError(`s32 out of range: ${v}`);
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return this.u8(b);
      this.u8(b | 0x80);
    }
  }

  /** Signed LEB128 of a 64-bit value. */
  s64(v: bigint): this {
    v = BigInt.asIntN(64, v);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) return this.u8(b);
      this.u8(b | 0x80);
    }
  }

  f32(v: number): this {
    ByteWriter.scratch.setFloat32(0, v, true);
    for (let i = 0; i < 4; i++) this.u8(ByteWriter.scratch.getUint8(i));
    return this;
  }

  f64(v: number): this {
    ByteWriter.scratch.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.u8(ByteWriter.scratch.getUint8(i));
    return this;
  }

  name(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u32(b.length).bytes(b);
  }

  /** A length-prefixed copy of another writer's bytes (a section or a function body). */
  sized(w: ByteWriter): this {
    return this.u32(w.length).bytes(w.view());
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

// --- function bodies ----------------------------------------------------------------------

/** A structured-control label: pass it to `br`/`brIf`/`brTable` (depths are computed). */
export interface Label {
  readonly level: number;
}

type BlockType = ValType | undefined;

/**
 * One function: its signature, locals and code. Every method appends one instruction and
 * returns the builder, so code reads as a chain in stack order.
 */
export class FunctionBuilder {
  /** Where instructions go; `into` redirects them (code generators build loop levels apart, then splice). */
  code = new ByteWriter();
  readonly locals: ValType[] = [];
  private open = 0;

  constructor(readonly params: readonly ValType[], readonly results: readonly ValType[]) {}

  /**
   * Sends instructions to `w` until the next `into`; returns the previous writer. Blocks
   * opened in one writer must be closed in it (branch depths are relative, so a fragment
   * spliced inside other blocks stays correct).
   */
  into(w: ByteWriter): ByteWriter {
    const prev = this.code;
    this.code = w;
    return prev;
  }

  /** Appends another writer's bytes (a fragment built with `into`). */
  splice(w: ByteWriter): this {
    this.code.bytes(w.view());
    return this;
  }

  /** A new local of `type`; its index (params come first). */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** The type of local (or param) `index`. */
  typeOf(index: number): ValType {
    return index < this.params.length ? this.params[index]! : this.locals[index - this.params.length]!;
  }

  /** Any instruction without immediates, by its text-format name. */
  op(name: Op): this {
    if (has(PLAIN, name)) this.code.u8(PLAIN[name as PlainOp]);
    else if (has(MISC, name)) this.code.u8(0xfc).u32(MISC[name as MiscOp]);
    else if (has(SIMD, name)) this.code.u8(0xfd).u32(SIMD[name as SimdOp]);
    else throw new Error(`internal: unknown wasm instruction ${name}`);
    return this;
  }

  i32(v: number): this {
    this.code.u8(C["i32.const"]).s32(v);
    return this;
  }

  i64(v: bigint): this {
    this.code.u8(C["i64.const"]).s64(v);
    return this;
  }

  f32(v: number): this {
    this.code.u8(C["f32.const"]).f32(v);
    return this;
  }

  f64(v: number): this {
    this.code.u8(C["f64.const"]).f64(v);
    return this;
  }

  /** `v128.const` from 16 bytes. */
  v128(bytes: ArrayLike<number>): this {
    if (bytes.length !== 16) throw new Error("internal: v128.const needs 16 bytes");
    this.code.u8(0xfd).u32(SIMD_CONST).bytes(bytes);
    return this;
  }

  /** `v128.const` of four float32 lanes. */
  f32x4(a: number, b = a, c = a, d = a): this {
    return this.v128(new Uint8Array(new Float32Array([a, b, c, d]).buffer));
  }

  /** `v128.const` of four int32 lanes. */
  i32x4(a: number, b = a, c = a, d = a): this {
    return this.v128(new Uint8Array(new Int32Array([a, b, c, d]).buffer));
  }

  get(local: number): this {
    this.code.u8(C["local.get"]).u32(local);
    return this;
  }

  set(local: number): this {
    this.code.u8(C["local.set"]).u32(local);
    return this;
  }

  tee(local: number): this {
    this.code.u8(C["local.tee"]).u32(local);
    return this;
  }

  globalGet(index: number): this {
    this.code.u8(C["global.get"]).u32(index);
    return this;
  }

  globalSet(index: number): this {
    this.code.u8(C["global.set"]).u32(index);
    return this;
  }

  /** A load or store: `offset` is added to the address operand; `align` (log2 bytes) defaults to natural. */
  private memory(name: MemoryOp, offset: number, align?: number): this {
    const [prefix, code, natural] = MEMORY[name];
    if (prefix) this.code.u8(prefix).u32(code);
    else this.code.u8(code);
    this.code.u32(align ?? natural).u32(offset);
    return this;
  }

  load(name: MemoryOp, offset = 0, align?: number): this {
    return this.memory(name, offset, align);
  }

  store(name: MemoryOp, offset = 0, align?: number): this {
    return this.memory(name, offset, align);
  }

  /** `*.extract_lane` / `*.replace_lane`. */
  lane(name: LaneOp, lane: number): this {
    const [code, lanes] = LANE[name];
    if (!(lane >= 0 && lane < lanes)) throw new Error(`internal: lane ${lane} out of range for ${name}`);
    this.code.u8(0xfd).u32(code).u8(lane);
    return this;
  }

  /** `i8x16.shuffle` with 16 byte indices into the two operands (0-31). */
  shuffle(lanes: ArrayLike<number>): this {
    if (lanes.length !== 16) throw new Error("internal: i8x16.shuffle needs 16 lane indices");
    this.code.u8(0xfd).u32(SIMD_SHUFFLE).bytes(lanes);
    return this;
  }

  memoryCopy(): this {
    this.code.u8(0xfc).u32(MISC_MEMORY["memory.copy"]).u8(0).u8(0);
    return this;
  }

  memoryFill(): this {
    this.code.u8(0xfc).u32(MISC_MEMORY["memory.fill"]).u8(0);
    return this;
  }

  memorySize(): this {
    this.code.u8(C["memory.size"]).u8(0);
    return this;
  }

  memoryGrow(): this {
    this.code.u8(C["memory.grow"]).u8(0);
    return this;
  }

  private enter(opcode: number, type: BlockType): Label {
    this.code.u8(opcode).u8(type === undefined ? 0x40 : VALTYPE[type]);
    return { level: this.open++ };
  }

  block(type?: ValType): Label {
    return this.enter(C.block, type);
  }

  /** A loop: `br` to its label jumps back to its start. */
  loop(type?: ValType): Label {
    return this.enter(C.loop, type);
  }

  /** `if` on the i32 on the stack; close with `end()` (optionally after `else()`). */
  if(type?: ValType): Label {
    return this.enter(C.if, type);
  }

  else(): this {
    this.code.u8(C.else);
    return this;
  }

  end(): this {
    if (this.open === 0) throw new Error("internal: end() without an open block");
    this.open--;
    this.code.u8(C.end);
    return this;
  }

  private depth(label: Label): number {
    if (label.level >= this.open) throw new Error("internal: branch to a closed block");
    return this.open - 1 - label.level;
  }

  br(label: Label): this {
    this.code.u8(C.br).u32(this.depth(label));
    return this;
  }

  brIf(label: Label): this {
    this.code.u8(C.br_if).u32(this.depth(label));
    return this;
  }

  brTable(labels: readonly Label[], otherwise: Label): this {
    this.code.u8(C.br_table).u32(labels.length);
    for (const l of labels) this.code.u32(this.depth(l));
    this.code.u32(this.depth(otherwise));
    return this;
  }

  call(func: number): this {
    this.code.u8(C.call).u32(func);
    return this;
  }

  /** The body as the code section stores it: local declarations (run-length), code, `end`. */
  encodeBody(): ByteWriter {
    if (this.open !== 0) throw new Error(`internal: ${this.open} block(s) left open`);
    const w = new ByteWriter();
    const runs: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    w.u32(runs.length);
    for (const [n, t] of runs) w.u32(n).u8(VALTYPE[t]);
    w.bytes(this.code.view()).u8(C.end);
    return w;
  }
}

// --- modules -------------------------------------------------------------------------------

export interface MemoryLimits {
  /** In 64 KiB pages. */
  readonly initial: number;
  readonly maximum?: number;
  /** A shared memory (needs a maximum; backed by a SharedArrayBuffer). */
  readonly shared?: boolean;
}

type Import =
  | { readonly module: string; readonly name: string; readonly kind: "func"; readonly type: number }
  | { readonly module: string; readonly name: string; readonly kind: "memory"; readonly limits: MemoryLimits };

interface Global {
  readonly type: ValType;
  readonly mutable: boolean;
  readonly init: number | bigint;
}

/** A module: types (deduplicated), imports, functions, globals and exports; `encode()` writes it. */
export class ModuleBuilder {
  private readonly types: { params: readonly ValType[]; results: readonly ValType[] }[] = [];
  private readonly typeKeys = new Map<string, number>();
  private readonly imports: Import[] = [];
  private readonly funcs: { type: number; body: FunctionBuilder }[] = [];
  private readonly globals: Global[] = [];
  private readonly exports: { name: string; kind: 0 | 2 | 3; index: number }[] = [];
  private importedFuncs = 0;

  private typeIndex(params: readonly ValType[], results: readonly ValType[]): number {
    const key = `${params.join(",")}>${results.join(",")}`;
    let i = this.typeKeys.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.types.push({ params, results });
      this.typeKeys.set(key, i);
    }
    return i;
  }

  importMemory(module: string, name: string, limits: MemoryLimits): void {
    if (limits.shared && limits.maximum === undefined) throw new Error("internal: a shared memory needs a maximum");
    this.imports.push({ module, name, kind: "memory", limits });
  }

  /** Imports a host function; its function index. Import every function before adding any. */
  importFunction(module: string, name: string, params: readonly ValType[], results: readonly ValType[]): number {
    if (this.funcs.length) throw new Error("internal: import functions before defining any");
    this.imports.push({ module, name, kind: "func", type: this.typeIndex(params, results) });
    return this.importedFuncs++;
  }

  /** Adds a function (exported under `exportName` if given); its function index. */
  addFunction(body: FunctionBuilder, exportName?: string): number {
    const index = this.importedFuncs + this.funcs.length;
    this.funcs.push({ type: this.typeIndex(body.params, body.results), body });
    if (exportName !== undefined) this.exports.push({ name: exportName, kind: 0, index });
    return index;
  }

  /** The index the next `addFunction` will return (for calls between functions). */
  get nextFunctionIndex(): number {
    return this.importedFuncs + this.funcs.length;
  }

  addGlobal(type: ValType, mutable: boolean, init: number | bigint, exportName?: string): number {
    const index = this.globals.length;
    this.globals.push({ type, mutable, init });
    if (exportName !== undefined) this.exports.push({ name: exportName, kind: 3, index });
    return index;
  }

  encode(): Uint8Array {
    const out = new ByteWriter().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const section = (id: number, write: (w: ByteWriter) => void) => {
      const w = new ByteWriter();
      write(w);
      out.u8(id).sized(w);
    };
    if (this.types.length) {
      section(1, (w) => {
        w.u32(this.types.length);
        for (const t of this.types) {
          w.u8(0x60).u32(t.params.length);
          for (const p of t.params) w.u8(VALTYPE[p]);
          w.u32(t.results.length);
          for (const r of t.results) w.u8(VALTYPE[r]);
        }
      });
    }
    if (this.imports.length) {
      section(2, (w) => {
        w.u32(this.imports.length);
        for (const im of this.imports) {
          w.name(im.module).name(im.name);
          if (im.kind === "func") w.u8(0x00).u32(im.type);
          else {
            const { initial, maximum, shared } = im.limits;
            w.u8(0x02).u8((maximum !== undefined ? 1 : 0) | (shared ? 2 : 0)).u32(initial);
            if (maximum !== undefined) w.u32(maximum);
          }
        }
      });
    }
    if (this.funcs.length) {
      section(3, (w) => {
        w.u32(this.funcs.length);
        for (const f of this.funcs) w.u32(f.type);
      });
    }
    if (this.globals.length) {
      section(6, (w) => {
        w.u32(this.globals.length);
        for (const g of this.globals) {
          w.u8(VALTYPE[g.type]).u8(g.mutable ? 1 : 0);
          switch (g.type) {
            case "i32": w.u8(C["i32.const"]).s32(Number(g.init)); break;
            case "i64": w.u8(C["i64.const"]).s64(BigInt(g.init)); break;
            case "f32": w.u8(C["f32.const"]).f32(Number(g.init)); break;
            case "f64": w.u8(C["f64.const"]).f64(Number(g.init)); break;
            case "v128": throw new Error("internal: v128 globals are not supported");
          }
          w.u8(C.end);
        }
      });
    }
    if (this.exports.length) {
      section(7, (w) => {
        w.u32(this.exports.length);
        for (const e of this.exports) w.name(e.name).u8(e.kind).u32(e.index);
      });
    }
    if (this.funcs.length) {
      section(10, (w) => {
        w.u32(this.funcs.length);
        for (const f of this.funcs) w.sized(f.body.encodeBody());
      });
    }
    return out.toBytes();
  }
}

// --- text -------------------------------------------------------------------------------------

const invert = <T extends Record<string, number>>(t: T) => new Map(Object.entries(t).map(([k, v]) => [v, k]));
const PLAIN_NAME = invert(PLAIN);
const MISC_NAME = invert(MISC);
const SIMD_NAME = invert(SIMD);
const MEMORY_NAME = new Map<number, string>(Object.entries(MEMORY).map(([k, [p, c]]) => [p * 256 + c, k]));
const LANE_NAME = new Map<number, string>(Object.entries(LANE).map(([k, [c]]) => [c, k]));

/** Reads what ByteWriter writes. */
class ByteReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  u8(): number {
    if (this.pos >= this.bytes.length) throw new Error("wasm text: unexpected end of bytes");
    return this.bytes[this.pos++]!;
  }

  u32(): number {
    let result = 0, mul = 1, b: number;
    do {
      b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    return result;
  }

  s64(): bigint {
    let result = 0n, shift = 0n, b: number;
    do {
      b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return result;
  }

  take(n: number): Uint8Array {
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  name(): string {
    return new TextDecoder().decode(this.take(this.u32()));
  }
}

function floatText(bytes: Uint8Array, f64: boolean): string {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v = f64 ? dv.getFloat64(0, true) : dv.getFloat32(0, true);
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return Object.is(v, -0) ? "-0" : String(v);
}

/** One function body's instructions, one per line, indented by nesting. */
function bodyText(r: ByteReader, end: number, indentBy: string): string[] {
  const lines: string[] = [];
  let depth = 1;
  const line = (s: string) => lines.push(indentBy + "  ".repeat(depth) + s);
  const blockType = () => {
    const t = r.u8();
    return t === 0x40 ? "" : ` (result ${VALTYPE_NAME.get(t)})`;
  };
  while (r.pos < end) {
    const op = r.u8();
    switch (op) {
      case C.block: case C.loop: case C.if:
        line(`${op === C.block ? "block" : op === C.loop ? "loop" : "if"}${blockType()}`);
        depth++;
        continue;
      case C.else:
        depth--; line("else"); depth++;
        continue;
      case C.end:
        depth--;
        if (depth === 0) return lines;
        line("end");
        continue;
      case C.br: line(`br ${r.u32()}`); continue;
      case C.br_if: line(`br_if ${r.u32()}`); continue;
      case C.br_table: {
        const n = r.u32();
        const ds = Array.from({ length: n + 1 }, () => r.u32());
        line(`br_table ${ds.join(" ")}`);
        continue;
      }
      case C.call: line(`call ${r.u32()}`); continue;
      case C["local.get"]: line(`local.get ${r.u32()}`); continue;
      case C["local.set"]: line(`local.set ${r.u32()}`); continue;
      case C["local.tee"]: line(`local.tee ${r.u32()}`); continue;
      case C["global.get"]: line(`global.get ${r.u32()}`); continue;
      case C["global.set"]: line(`global.set ${r.u32()}`); continue;
      case C["memory.size"]: r.u8(); line("memory.size"); continue;
      case C["memory.grow"]: r.u8(); line("memory.grow"); continue;
      case C["i32.const"]: line(`i32.const ${BigInt.asIntN(32, r.s64())}`); continue;
      case C["i64.const"]: line(`i64.const ${r.s64()}`); continue;
      case C["f32.const"]: line(`f32.const ${floatText(r.take(4), false)}`); continue;
      case C["f64.const"]: line(`f64.const ${floatText(r.take(8), true)}`); continue;
      case 0xfc: {
        const sub = r.u32();
        if (sub === MISC_MEMORY["memory.copy"]) { r.u8(); r.u8(); line("memory.copy"); }
        else if (sub === MISC_MEMORY["memory.fill"]) { r.u8(); line("memory.fill"); }
        else line(MISC_NAME.get(sub) ?? `<0xfc ${sub}>`);
        continue;
      }
      case 0xfd: {
        const sub = r.u32();
        const mem = MEMORY_NAME.get(0xfd00 + sub);
        if (mem) {
          const align = r.u32(), offset = r.u32();
          line(`${mem}${offset ? ` offset=${offset}` : ""} align=${1 << align}`);
        } else if (sub === SIMD_CONST) {
          const lanes = new Int32Array(r.take(16).slice().buffer);
          line(`v128.const i32x4 ${Array.from(lanes, (v) => `0x${(v >>> 0).toString(16).padStart(8, "0")}`).join(" ")}`);
        } else if (sub === SIMD_SHUFFLE) {
          line(`i8x16.shuffle ${Array.from(r.take(16)).join(" ")}`);
        } else if (LANE_NAME.has(sub)) {
          line(`${LANE_NAME.get(sub)} ${r.u8()}`);
        } else {
          line(SIMD_NAME.get(sub) ?? `<0xfd ${sub}>`);
        }
        continue;
      }
      default: {
        const mem = MEMORY_NAME.get(op);
        if (mem) {
          const align = r.u32(), offset = r.u32();
          line(`${mem}${offset ? ` offset=${offset}` : ""} align=${1 << align}`);
          continue;
        }
        line(PLAIN_NAME.get(op) ?? `<0x${op.toString(16)}>`);
      }
    }
  }
  return lines;
}

const EXPORT_KIND = ["func", "table", "memory", "global"];

/** The module `bytes` (as ModuleBuilder writes them) in WAT-like text, one instruction a line. */
export function moduleToText(bytes: Uint8Array): string {
  const r = new ByteReader(bytes);
  r.take(8);
  const types: string[] = [];
  const funcTypes: number[] = [];
  const out: string[] = ["(module"];
  const exportNames = new Map<number, string>();
  let importedFuncs = 0;
  const sections: [number, number, number][] = [];
  while (r.pos < bytes.length) {
    const id = r.u8(), size = r.u32();
    sections.push([id, r.pos, size]);
    r.pos += size;
  }
  const sig = (t: string) => t;
  for (const [id, start] of sections) {
    r.pos = start;
    if (id === 1) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        r.u8();
        const ps = Array.from({ length: r.u32() }, () => VALTYPE_NAME.get(r.u8()));
        const rs = Array.from({ length: r.u32() }, () => VALTYPE_NAME.get(r.u8()));
        types.push(`${ps.length ? ` (param ${ps.join(" ")})` : ""}${rs.length ? ` (result ${rs.join(" ")})` : ""}`);
        out.push(`  (type ${i} (func${types[i]}))`);
      }
    } else if (id === 2) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const mod = r.name(), name = r.name(), kind = r.u8();
        if (kind === 0) {
          out.push(`  (import "${mod}" "${name}" (func ${importedFuncs++} (type ${r.u32()})))`);
        } else if (kind === 2) {
          const flags = r.u8(), initial = r.u32(), max = flags & 1 ? ` ${r.u32()}` : "";
          out.push(`  (import "${mod}" "${name}" (memory ${initial}${max}${flags & 2 ? " shared" : ""}))`);
        }
      }
    } else if (id === 3) {
      const n = r.u32();
      for (let i = 0; i < n; i++) funcTypes.push(r.u32());
    } else if (id === 6) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const t = VALTYPE_NAME.get(r.u8()), mut = r.u8();
        const init = bodyText(r, bytes.length, "")[0]!.trim();
        out.push(`  (global ${i} ${mut ? `(mut ${t})` : t} (${init}))`);
      }
    } else if (id === 7) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const name = r.name(), kind = r.u8(), index = r.u32();
        if (kind === 0) exportNames.set(index, name);
        out.push(`  (export "${name}" (${EXPORT_KIND[kind]} ${index}))`);
      }
    } else if (id === 10) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const size = r.u32(), end = r.pos + size;
        const locals: string[] = [];
        const runs = r.u32();
        for (let k = 0; k < runs; k++) {
          const count = r.u32(), t = VALTYPE_NAME.get(r.u8())!;
          for (let c = 0; c < count; c++) locals.push(t);
        }
        const index = importedFuncs + i;
        const name = exportNames.has(index) ? ` $${exportNames.get(index)}` : "";
        out.push(`  (func ${index}${name} (type ${funcTypes[i]})${sig(types[funcTypes[i]!] ?? "")}`);
        if (locals.length) out.push(`    (local ${locals.join(" ")})`);
        out.push(...bodyText(r, end, "  "));
        out[out.length - 1] += ")";
        if (r.pos !== end) r.pos = end;
      }
    }
  }
  out[out.length - 1] += ")";
  return out.join("\n");
}
