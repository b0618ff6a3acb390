// The backend contract, proved with a stand-in device backend (runs everywhere, no GPU):
// its buffers are opaque boxes and its reads are asynchronous only. Programs of the shared
// test generator, control flow and eager operations run on it through jit exactly as on a
// device: inputs are uploaded once, nothing reads synchronously.

import { describe, expect, it } from "vitest";
import { BackendError, ConcretizationTypeError, devicePut, jit, lax, np, setBackend, type NDArray } from "tsjit";
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

const counts = { uploads: 0, frees: 0, reads: 0 };
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
  read: async (b) => {
    counts.reads++;
    return (unbox(b) as TypedArray).slice();
  },
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

describe("moving arrays between backends (devicePut / x.to)", () => {
  const onDevice = (v: NDArray) => jit((a: NDArray) => a.mul(1), { backend: "webgpu" })(v);

  it("cpu -> device: uploaded once, reused by later moves and by device functions", async () => {
    const c = np.array([1.5, 2, 3]);
    const before = counts.uploads;
    const g = await devicePut(c, "webgpu");
    expect(counts.uploads - before).toBe(1);
    expect(() => g.dataSync()).toThrow(/asynchronous/);
    expect(await c.to("webgpu")).toBe(g);
    expect(Array.from(await onDevice(c).data())).toEqual([1.5, 2, 3]);
    expect(counts.uploads - before).toBe(1);
    expect(await devicePut(c, "cpu")).toBe(c);
  });

  it("a copy made by use on the device, then handed out by devicePut, outlives the source's dispose", async () => {
    const c = np.array([7, 8, 9]);
    expect(Array.from(await onDevice(c).data())).toEqual([7, 8, 9]); // uploads c's copy, cached on c
    const g = await devicePut(c, "webgpu"); // the same copy, now the caller's array
    c.dispose();
    expect(Array.from(await g.data())).toEqual([7, 8, 9]);
  });

  it("device -> cpu: one asynchronous read (never a synchronous one), cached on the source", async () => {
    const g = onDevice(np.array([4, 5, 6]));
    const cpuFn = jit((a: NDArray) => a.add(1));
    // Before the move, synchronous use on the cpu is an error naming devicePut.
    expect(() => cpuFn(g)).toThrow(BackendError);
    expect(() => cpuFn(g)).toThrow(/await devicePut\(x, "cpu"\)/);
    const reads = counts.reads;
    const c = await devicePut(g, "cpu");
    expect(counts.reads - reads).toBe(1);
    expect(Array.from(c.dataSync())).toEqual([4, 5, 6]);
    expect(await g.to("cpu")).toBe(c);
    // Now the source works on the cpu backend synchronously, through the cached copy.
    expect(Array.from(cpuFn(g).dataSync())).toEqual([5, 6, 7]);
    expect(counts.reads - reads).toBe(1);
    // Disposing the source leaves the moved array usable (it owns its copy).
    g.dispose();
    expect(Array.from(c.dataSync())).toEqual([4, 5, 6]);
  });

  it("blockUntilReady on the cpu reads nothing; .to on a tracer is a ConcretizationTypeError", async () => {
    const c = np.array([1, 2]);
    const reads = counts.reads;
    await c.blockUntilReady();
    await onDevice(c).blockUntilReady();
    expect(counts.reads).toBe(reads);
    let err: unknown;
    jit((a: NDArray) => {
      a.to("cpu").catch((e: unknown) => (err = e));
      return a;
    })(c);
    await Promise.resolve();
    expect(err).toBeInstanceOf(ConcretizationTypeError);
    await expect(devicePut(42 as unknown as NDArray, "cpu")).rejects.toThrow(/devicePut expects an NDArray/);
  });
});
