// Threefry-2x32 with 20 rounds (Salmon et al., SC'11; Random123's threefry2x32_20), written
// with tsjit's uint32 primitives so it runs eagerly, under jit and on every backend.
// The key words may be rank-0 (they broadcast implicitly in elementwise primitives).

import type { NDArray } from "../array/ndarray.js";
import { aval } from "../ir/aval.js";
import { Literal } from "../ir/jaxpr.js";
import * as p from "../primitives/index.js";
import { bind1 } from "../trace/core.js";
import type { Operand } from "../np/operands.js";

export const u32 = (v: number): Literal => new Literal(v >>> 0, aval([], "uint32"));

const add = (a: Operand, b: Operand) => bind1(p.add, [a, b]);
const xor = (a: Operand, b: Operand) => bind1(p.xor, [a, b]);
const rotl = (x: Operand, r: number) =>
  bind1(p.or, [bind1(p.shiftLeft, [x, u32(r)]), bind1(p.shiftRightLogical, [x, u32(32 - r)])]);

const ROTATIONS = [[13, 15, 26, 6], [17, 29, 16, 24]] as const;

/** threefry2x32(key = (k0, k1), counter = (x0, x1)) → the two output words. */
export function threefry2x32(k0: Operand, k1: Operand, x0: Operand, x1: Operand): [NDArray, NDArray] {
  // The third key word makes the key schedule's parity constant (Skein's C240).
  const ks = [k0, k1, xor(xor(k0, k1), u32(0x1bd11bda))];
  let a = add(x0, ks[0]!), b = add(x1, ks[1]!);
  for (let i = 0; i < 5; i++) {
    for (const r of ROTATIONS[i % 2]!) {
      a = add(a, b);
      b = xor(rotl(b, r), a);
    }
    // Key injection after every 4 rounds: words (i+1) and (i+2) mod 3, plus the round count.
    a = add(a, ks[(i + 1) % 3]!);
    b = add(add(b, ks[(i + 2) % 3]!), u32(i + 1));
  }
  return [a, b];
}
