// Transcendental functions for the wasm backend as f32x4 polynomials (helper functions
// `(v128) -> v128` added to a module when its kernels use them; scalar code calls them on
// one lane, so every element of an array gets the same function).
//
// Range reduction and coefficients follow the classic single-precision Cephes designs
// (expf, logf, tanhf, sinf/cosf; the coefficients are Cephes' published minimax values):
// - exp: x = k·ln2 + r (ln2 split in two for an exact product), e^r by a degree-6 polynomial,
//   2^k applied as two power-of-two factors so results down into the denormals round once.
//   Overflow to +inf past 88.72, 0 below -103.97, NaN stays NaN.
// - log: x = 2^e·m with m in [√½, √2), log(m) by a degree-9 polynomial; denormals are
//   scaled by 2^23 first; log(0) = -inf, log(x<0) = NaN, log(inf) = inf.
// - tanh: an odd polynomial below |x| = 0.625, else 1 - 2/(e^{2|x|} + 1) with x's sign.
// - logistic: 1/(1 + t) for x ≥ 0 and t/(1 + t) below, t = e^{-|x|}.
// - sin/cos: reduction by π/4 in three parts (exact up to |x| ≈ 8192), the sin or cos
//   polynomial by octant; lanes beyond 8192 (and inf/NaN) are recomputed with the host's
//   Math.sin/cos in float64, so huge arguments stay accurate.
// Accuracy against float64 Math rounded to float32, measured by test/wasm/math.test.ts over
// ~20,000 log-spaced arguments each (denormals, overflow/underflow edges, ±0, ±inf, NaN):
// exp, log, sin, cos within 1 ulp (sin/cos also for |x| up to 1e30, via the host fallback);
// tanh within 1 ulp and logistic within 2 ulp (the test allows one more for tanh).

import { FunctionBuilder, type ModuleBuilder } from "./encoder.js";
import { importIndex } from "./imports.js";

/** The functions with an f32x4 helper here. */
export const MATH_FNS = ["exp", "log", "tanh", "logistic", "sin", "cos"] as const;
export type MathFn = (typeof MATH_FNS)[number];

const DEPENDS: Partial<Record<MathFn, MathFn>> = { tanh: "exp", logistic: "exp" };

/** The helper functions one module uses, added to it on first use (so indices never shift). */
export class MathHelpers {
  private readonly added = new Map<MathFn, number>();

  constructor(private readonly module: ModuleBuilder) {}

  /** The function index of `name` (its f32x4 form). */
  index(name: MathFn): number {
    let i = this.added.get(name);
    if (i === undefined) {
      const dep = DEPENDS[name];
      if (dep) this.index(dep);
      const f = new FunctionBuilder(["v128"], ["v128"]);
      BUILD[name](f, (n) => this.index(n));
      i = this.module.addFunction(f);
      this.added.set(name, i);
    }
    return i;
  }
}

type Build = (f: FunctionBuilder, helper: (n: MathFn) => number) => void;

/** Pushes a v128 constant: four f32 lanes, or four i32 lanes. */
export type PushConst = (kind: "f32" | "i32", v: number) => void;

const immediate = (f: FunctionBuilder): PushConst => (kind, v) => void (kind === "f32" ? f.f32x4(v) : f.i32x4(v));

/** Horner: pushes ((c0·x + c1)·x + c2)… with x in local `x` (constants by `K`, immediates by default). */
function horner(f: FunctionBuilder, x: number, cs: readonly number[], K: PushConst = immediate(f)): void {
  K("f32", cs[0]!);
  for (let i = 1; i < cs.length; i++) {
    f.get(x).op("f32x4.mul");
    K("f32", cs[i]!);
    f.op("f32x4.add");
  }
}

/**
 * Writes `exp` of the f32x4 in local `arg` inline (the result on the stack): the helper's
 * very code, without a call per vector (V8 in Node 20 does not inline wasm calls, and a
 * call spills every live vector register). `konst` pushes its constants, so a loop can keep
 * them in locals set before it (V8 rematerializes a v128.const in the loop every time).
 */
export function emitExpInline(f: FunctionBuilder, arg: number, konst: PushConst): void {
  const x = f.local("v128");
  f.get(arg).set(x);
  expBody(f, x, konst);
}

const buildExp: Build = (f) => expBody(f, 0, immediate(f));

/** 1.5·2^23: adding it to |v| < 2^22 rounds v to an integer (ties to even) in the low mantissa bits. */
const ROUND_MAGIC = 12582912;
const ROUND_MAGIC_BITS = 0x4b400000;

/** exp(x) for the f32x4 in local `x` (which it overwrites), left on the stack. */
function expBody(f: FunctionBuilder, x: number, K: PushConst): void {
  const k = f.local("v128"), r = f.local("v128"), ki = f.local("v128"), k1 = f.local("v128"), p = f.local("v128"), t = f.local("v128");
  // Clamp, NaN passing through: pmin(x, c) = c < x ? c : x and pmax(x, c) = x < c ? c : x
  // keep a NaN x (both compares are false) and are one instruction each (min/max are not).
  f.get(x);
  K("f32", 88.8);
  f.op("f32x4.pmin");
  K("f32", -104);
  f.op("f32x4.pmax").set(x);
  // k = nearest(x·log2e) (|x·log2e| < 151, so adding 1.5·2^23 rounds it, ties to even),
  // and its integer from the same sum's bits (no float→int conversion needed).
  f.get(x);
  K("f32", Math.LOG2E);
  f.op("f32x4.mul");
  K("f32", ROUND_MAGIC);
  f.op("f32x4.add").tee(t);
  K("f32", ROUND_MAGIC);
  f.op("f32x4.sub").set(k);
  f.get(t);
  K("i32", ROUND_MAGIC_BITS);
  f.op("i32x4.sub").set(ki);
  // r = x - k·C1 - k·C2 (C1 + C2 = ln 2, C1 exact in few bits so k·C1 is exact).
  f.get(x).get(k);
  K("f32", 0.693359375);
  f.op("f32x4.mul").op("f32x4.sub");
  f.get(k);
  K("f32", -2.12194440e-4);
  f.op("f32x4.mul").op("f32x4.sub").set(r);
  horner(f, r, [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1], K);
  f.get(r).op("f32x4.mul").get(r).op("f32x4.mul").get(r).op("f32x4.add");
  K("f32", 1);
  f.op("f32x4.add").set(p);
  // 2^k as 2^k1 · 2^(k-k1), each a normal float.
  f.get(ki).i32(1).op("i32x4.shr_s").set(k1);
  f.get(p);
  f.get(k1);
  K("i32", 127);
  f.op("i32x4.add").i32(23).op("i32x4.shl").op("f32x4.mul");
  f.get(ki).get(k1).op("i32x4.sub");
  K("i32", 127);
  f.op("i32x4.add").i32(23).op("i32x4.shl").op("f32x4.mul");
}

const buildLog: Build = (f) => {
  const x = 0;
  const bits = f.local("v128"), e = f.local("v128"), m = f.local("v128"), z = f.local("v128"), y = f.local("v128"), small = f.local("v128"), lo = f.local("v128");
  // Denormals: scale by 2^23 and remember to subtract 23 from the exponent.
  f.get(x).f32x4(1.1754943508222875e-38).op("f32x4.lt").set(small);
  f.get(x).f32x4(8388608).op("f32x4.mul").get(x).get(small).op("v128.bitselect").set(bits);
  f.get(bits).i32(23).op("i32x4.shr_u").i32x4(0xff).op("v128.and").i32x4(126).op("i32x4.sub");
  f.get(small).i32x4(23).op("v128.and").op("i32x4.sub").op("f32x4.convert_i32x4_s").set(e);
  // m in [0.5, 1)
  f.get(bits).i32x4(0x807fffff).op("v128.and").i32x4(0x3f000000).op("v128.or").set(m);
  // if m < √½: e -= 1, x = 2m - 1; else x = m - 1
  f.get(m).f32x4(0.707106781186547524).op("f32x4.lt").set(lo);
  f.get(e).f32x4(1).get(lo).op("v128.and").op("f32x4.sub").set(e);
  f.get(m).get(m).get(lo).op("v128.and").op("f32x4.add").f32x4(1).op("f32x4.sub").set(m);
  f.get(m).get(m).op("f32x4.mul").set(z);
  horner(f, m, [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
    2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1]);
  f.get(m).op("f32x4.mul").get(z).op("f32x4.mul");
  f.get(e).f32x4(-2.12194440e-4).op("f32x4.mul").op("f32x4.add");
  f.get(z).f32x4(0.5).op("f32x4.mul").op("f32x4.sub").set(y);
  f.get(m).get(y).op("f32x4.add").get(e).f32x4(0.693359375).op("f32x4.mul").op("f32x4.add").set(y);
  // Special values: x < 0 or NaN -> NaN; 0 -> -inf; inf -> inf.
  f.get(y).f32x4(NaN).get(x).f32x4(0).op("f32x4.ge").op("v128.bitselect").set(y);
  f.f32x4(-Infinity).get(y).get(x).f32x4(0).op("f32x4.eq").op("v128.bitselect").set(y);
  f.get(x).get(y).get(x).f32x4(Infinity).op("f32x4.eq").op("v128.bitselect");
};

const buildTanh: Build = (f, helper) => {
  const x = 0;
  const ax = f.local("v128"), z = f.local("v128"), small = f.local("v128"), big = f.local("v128");
  f.get(x).op("f32x4.abs").set(ax);
  f.get(x).get(x).op("f32x4.mul").set(z);
  // |x| < 0.625: x + x·z·P(z)
  horner(f, z, [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1]);
  f.get(z).op("f32x4.mul").get(x).op("f32x4.mul").get(x).op("f32x4.add").set(small);
  // else 1 - 2/(e^{2|x|} + 1), with x's sign.
  f.f32x4(1).f32x4(2).get(ax).get(ax).op("f32x4.add").call(helper("exp")).f32x4(1).op("f32x4.add").op("f32x4.div").op("f32x4.sub");
  f.set(big);
  // Either branch, with x's sign (so tanh(-0) = -0).
  f.get(small).get(big).get(ax).f32x4(0.625).op("f32x4.lt").op("v128.bitselect");
  f.get(x).i32x4(0x80000000 | 0).op("v128.and").op("v128.or");
};

const buildLogistic: Build = (f, helper) => {
  // t = e^{-|x|} (never overflows): 1/(1+t) for x ≥ 0, t/(1+t) below (accurate into the denormals).
  const t = f.local("v128"), d = f.local("v128");
  f.get(0).op("f32x4.abs").op("f32x4.neg").call(helper("exp")).set(t);
  f.get(t).f32x4(1).op("f32x4.add").set(d);
  f.f32x4(1).get(d).op("f32x4.div");
  f.get(t).get(d).op("f32x4.div");
  f.get(0).f32x4(0).op("f32x4.ge").op("v128.bitselect");
};

const FOPI = 1.27323954473516; // 4/π
const DP = [0.78515625, 2.4187564849853515625e-4, 3.77489497744594108e-8];
const SIN_P = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1];
const COS_P = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2];

function buildSinCos(cos: boolean): Build {
  return (f) => {
    const x = 0;
    const ax = f.local("v128"), j = f.local("v128"), y = f.local("v128"), sign = f.local("v128"), poly = f.local("v128");
    const r = f.local("v128"), z = f.local("v128"), s = f.local("v128"), c = f.local("v128"), out = f.local("v128"), huge = f.local("v128");
    f.get(x).op("f32x4.abs").set(ax);
    f.get(ax).f32x4(FOPI).op("f32x4.mul").op("i32x4.trunc_sat_f32x4_s").i32x4(1).op("i32x4.add").i32x4(~1).op("v128.and").set(j);
    f.get(j).op("f32x4.convert_i32x4_s").set(y);
    if (cos) {
      f.get(j).i32x4(2).op("i32x4.sub").set(j);
      f.i32x4(4).get(j).op("v128.andnot").i32(29).op("i32x4.shl").set(sign);
    } else {
      f.get(x).i32x4(0x80000000 | 0).op("v128.and").get(j).i32x4(4).op("v128.and").i32(29).op("i32x4.shl").op("v128.xor").set(sign);
    }
    f.get(j).i32x4(2).op("v128.and").i32x4(0).op("i32x4.eq").set(poly);
    f.get(ax).get(y).f32x4(DP[0]!).op("f32x4.mul").op("f32x4.sub");
    f.get(y).f32x4(DP[1]!).op("f32x4.mul").op("f32x4.sub");
    f.get(y).f32x4(DP[2]!).op("f32x4.mul").op("f32x4.sub").set(r);
    f.get(r).get(r).op("f32x4.mul").set(z);
    horner(f, z, SIN_P);
    f.get(z).op("f32x4.mul").get(r).op("f32x4.mul").get(r).op("f32x4.add").set(s);
    horner(f, z, COS_P);
    f.get(z).op("f32x4.mul").get(z).op("f32x4.mul").get(z).f32x4(0.5).op("f32x4.mul").op("f32x4.sub").f32x4(1).op("f32x4.add").set(c);
    f.get(s).get(c).get(poly).op("v128.bitselect").get(sign).op("v128.xor").set(out);
    // Huge, infinite or NaN lanes: the host's float64 function, lane by lane.
    f.get(ax).f32x4(8192).op("f32x4.le").op("v128.not").set(huge);
    f.get(huge).op("v128.any_true").if();
    for (let lane = 0; lane < 4; lane++) {
      f.get(huge).lane("i32x4.extract_lane", lane).if();
      f.get(out).get(x).lane("f32x4.extract_lane", lane).op("f64.promote_f32").call(importIndex(cos ? "cos" : "sin"));
      f.op("f32.demote_f64").lane("f32x4.replace_lane", lane).set(out);
      f.end();
    }
    f.end();
    f.get(out);
  };
}

const BUILD: Record<MathFn, Build> = {
  exp: buildExp,
  log: buildLog,
  tanh: buildTanh,
  logistic: buildLogistic,
  sin: buildSinCos(false),
  cos: buildSinCos(true),
};
