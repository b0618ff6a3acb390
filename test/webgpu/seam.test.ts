// The backend contract, proved with a stand-in device backend (runs everywhere, no GPU):
// its buffers are opaque boxes and its reads are asynchronous only. Programs of the shared
// test generator, control flow and eager operations run on it through jit exactly as on a
// device: inputs are uploaded once, nothing reads synchronously.

import { describe, expect, it } from "vitest";
import { jit, lax, np, setBackend, type NDArray } from "tsjit";
import { registerBackend } from "../../runtime/backend/registry.js";
import { cpuBackend } from "../../runtime/backend/cpu/index.js";
import type { Backend } from "../../runtime/backend/backend.js";
import type { TypedArray } from "../../runtime/dtype.js";
import { Rng } from "../helpers/prng.js";
import { programFn, randomProgram } from "../helpers/programs.js";

class Box {
  constructor(readonly data: TypedArray) {
    Object.freeze(this);
  }
}

const counts = { uploads: 0, frees: 0 };
const unbox = (b: unknown): unknown => {
  if (typeof b === "number") return b;
  if (!(b instanceof Box)) throw new Error(`the stand-in backend got a foreign buffer: ${String(b)}`);
  return b.data;
};

const opaque: Backend = {
  name: "webgpu",
  compile(jaxpr, consts) {
    const exe = cpuBackend.compile(jaxpr, consts.map(unbox));
    return { run: (args) => exe.run(args.map(unbox)).map((d) => new Box(d as TypedArray)) };
  },
  fromHost(data) {
    counts.uploads++;
    return new Box(data.slice());
  },
  readSync() {
    throw new Error("readSync on the stand-in backend: reads must be asynchronous");
  },
  read: async (b) => (unbox(b) as TypedArray).slice(),
  ready: async () => undefined,
  free() {
    counts.frees++;
  },
};

registerBackend(opaque);

async function same(got: NDArray, want: NDArray, what: string): Promise<void> {
  expect(got.shape, what).toEqual(want.shape);
  expect(Array.from(await got.data()), what).toEqual(Array.from(want.dataSync()));
}

describe("the backend seam with opaque, async-only buffers", () => {
  it("runs 60 random programs bit-identically to the cpu backend, uploading each input once", async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const p = randomProgram(new Rng(seed * 104729), seed % 2 ? "float" : "int");
      const args = p.inputs.map((i) => i.x);
      const before = counts.uploads;
      const f = jit(programFn(p), { backend: "webgpu" });
      const gpu = f(...args) as unknown as NDArray[];
      f(...args);
      const cpu = jit(programFn(p))(...args) as unknown as NDArray[];
      for (let i = 0; i < cpu.length; i++) await same(gpu[i]!, cpu[i]!, `seed ${seed * 104729}, output ${i}`);
      expect(counts.uploads - before).toBeLessThanOrEqual(args.length);
    }
  });

  it("runs control flow and eager operations on it; mixed operands go to the device", async () => {
    const x = np.sin(np.arange(12).astype("float32")).reshape(3, 4);
    const prog = (a: NDArray, p: NDArray) => {
      const c = lax.cond(p, (v: NDArray) => v.mul(2), (v: NDArray) => v.sub(1), a);
      const [s] = lax.scan((carry: NDArray, row: NDArray) => [carry.add(row), carry.sum()] as const, np.zeros([4]), c);
      return lax.whileLoop((v: NDArray) => v.sum().lt(40), (v: NDArray) => v.add(1), s);
    };
    for (const p of [true, false]) await same(jit(prog, { backend: "webgpu" })(x, np.array(p)), jit(prog)(x, np.array(p)), `cond ${p}`);
    setBackend("webgpu");
    try {
      const a = np.array([1, 2, 3]);
      expect(() => a.dataSync()).toThrow(/asynchronous/);
      const b = a.mul(a).add(np.array([1, 1, 1]));
      expect(Array.from(await b.data())).toEqual([2, 5, 10]);
      await b.blockUntilReady();
      b.dispose();
      expect(counts.frees).toBeGreaterThan(0);
    } finally {
      setBackend("cpu");
    }
    const cpuArray = np.array([5, 6, 7]);
    const onDevice = jit((v: NDArray) => v.add(1), { backend: "webgpu" })(cpuArray);
    expect(Array.from(await cpuArray.add(onDevice).data())).toEqual([11, 13, 15]);
  });
});
