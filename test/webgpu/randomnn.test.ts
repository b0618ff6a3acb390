// uint32 ops, shifts and random on the webgpu backend: the same bits as the CPU backend.

import { afterEach, describe, expect, it } from "vitest";
import { jit, np, random, setBackend, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";

const cpuList = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);

describe.runIf(webgpuAvailable)("webgpu uint32 and random", { timeout: 120_000 }, () => {
  afterEach(() => setBackend("cpu"));

  it("uint32 arithmetic, bitwise ops and shifts match the CPU backend", async () => {
    const f = (a: NDArray, b: NDArray, i: NDArray, c: NDArray) => [
      a.add(b), a.sub(b), a.mul(b), np.floorDivide(a, b), np.mod(a, b), np.bitwiseXor(a, b), np.bitwiseNot(a),
      np.leftShift(a, b), np.rightShift(a, b), np.rightShift(i, c), np.leftShift(i, c), a.astype("int32"), i.astype("uint32"),
      a.astype("float32"), np.array([-3.5, 2.7, 5e9, NaN]).astype("uint32"), a.gt(b), a.max(), a.sum(), np.argmax(a),
    ];
    const a = np.array(Uint32Array.of(0x80000001, 0xffffffff, 0x12345678, 7, 3000000000));
    const b = np.array(Uint32Array.of(1, 31, 32, 0, 3000000000));
    const i = np.array([-8, -8, 8, -8, 5], { dtype: "int32" });
    const c = np.array([1, 40, 40, -1, 0], { dtype: "int32" });
    const want = jit(f)(a, b, i, c).map(cpuList);
    const got = await Promise.all(jit(f, { backend: "webgpu" })(a, b, i, c).map(async (x) => Array.from(await x.data() as ArrayLike<number>)));
    expect(got).toEqual(want);
  });

  it("random bits, uniform, foldIn and split are the CPU backend's, bit for bit", async () => {
    // (One kernel per output; lavapipe compiles each Threefry shader slowly, so few outputs.)
    const f = (key: NDArray) => [random.bits(key, [3, 5]), random.uniform(random.foldIn(key, 3), [17], { minval: -2, maxval: 3 }), random.split(key, 3),
      random.randint(key, [7], -5, 20)];
    const k = random.key(7);
    const want = jit(f)(k).map(cpuList);
    const got = await Promise.all(jit(f, { backend: "webgpu" })(k).map(async (x) => Array.from(await x.data() as ArrayLike<number>)));
    expect(got).toEqual(want);
  });
});
