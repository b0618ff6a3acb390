// Prebuilt wasm modules: module bytes written into the build's output as base64, and the
// one byte that tells a shared memory import from an ordinary one. A build generates its
// modules for a shared memory with a maximum; a runtime whose memory is not shared (a page
// that is not cross-origin isolated) flips that byte before compiling: the memory it imports
// is then an ordinary one with the same maximum.

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Bytes as base64 text (build time; no Buffer, so that it also runs where Node's is absent). */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!, b = bytes[i + 1], c = bytes[i + 2];
    out += BASE64[a >> 2]! + BASE64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? "=" : BASE64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? "=" : BASE64[c & 63]!;
  }
  return out;
}

const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DECODE[BASE64.charCodeAt(i)] = i;

/** base64 text as bytes (run time: a loop, no code generation and no atob/Buffer needed). */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0, acc = 0, o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = DECODE[clean.charCodeAt(i)] ?? -1;
    if (v < 0) throw new Error(`invalid base64 at character ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

function leb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0, shift = 0, p = at;
  for (;;) {
    const b = bytes[p++];
    if (b === undefined) throw new Error("truncated module");
    value += (b & 127) * 2 ** shift;
    shift += 7;
    if (!(b & 128)) return [value, p];
  }
}

function skipLimits(bytes: Uint8Array, at: number): number {
  const flags = bytes[at]!;
  let p = leb(bytes, at + 1)[1];
  if (flags & 1) p = leb(bytes, p)[1];
  return p;
}

/** Offset of the limits flags of the module's memory import (0x03: shared with a maximum), or -1. */
export function memoryLimitsOffset(bytes: Uint8Array): number {
  let p = 8; // magic and version
  while (p < bytes.length) {
    const id = bytes[p]!;
    const [size, body] = leb(bytes, p + 1);
    if (id === 2) {
      let [count, q] = leb(bytes, body);
      for (; count > 0; count--) {
        for (let name = 0; name < 2; name++) {
          const [len, after] = leb(bytes, q);
          q = after + len;
        }
        const kind = bytes[q++];
        if (kind === 2) return q;
        if (kind === 0) q = leb(bytes, q)[1]; // function: type index
        else if (kind === 1) q = skipLimits(bytes, q + 1); // table: reftype, limits
        else if (kind === 3) q += 2; // global: valtype, mutability
        else throw new Error(`unknown import kind ${kind}`);
      }
      return -1;
    }
    p = body + size;
  }
  return -1;
}

const SHARED_WITH_MAX = 0x03;
const WITH_MAX = 0x01;

/** The module bytes for a memory that is (or is not) shared; `at`: memoryLimitsOffset of them. */
export function forMemory(bytes: Uint8Array, at: number, shared: boolean): Uint8Array {
  const flags = bytes[at];
  if (flags !== SHARED_WITH_MAX && flags !== WITH_MAX) throw new Error(`the module's memory import has limits flags ${flags}, not a memory with a maximum`);
  const want = shared ? SHARED_WITH_MAX : WITH_MAX;
  if (flags === want) return bytes;
  const copy = bytes.slice();
  copy[at] = want;
  return copy;
}
