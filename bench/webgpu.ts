// The webgpu backend against the cpu backend, same programs, same process: fused
// elementwise, softmax, matmul 256/512/1024 (GFLOP/s), the MLP, and the dispatch overhead
// of a tiny call. Each webgpu call includes `await x.data()` (the readback), as each cpu
// call includes `dataSync()`.
//
// In Node without a GPU, WebGPU runs on Mesa's lavapipe, a CPU emulation: these numbers
// say how the backend behaves (correctness, overheads), not how fast a GPU is.

import { init, jit, np, type NDArray } from "../runtime/index.js";
import { uniform, tsArray } from "./data.js";
import type { Group } from "./group.js";
import { formatTime, gflops, type Row } from "./report.js";

interface Case {
  readonly name: string;
  readonly fn: (...xs: NDArray[]) => NDArray;
  readonly args: readonly NDArray[];
  readonly flops?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Per-call medians of both backends, measured in alternating rounds. */
async function measure(c: Case, rounds: number): Promise<{ cpu: number; gpu: number; maxDiff: number }> {
  const cpuF = jit(c.fn), gpuF = jit(c.fn, { backend: "webgpu" });
  const want = cpuF(...c.args).dataSync();
  const got = await gpuF(...c.args).data();
  let maxDiff = 0, scale = 0;
  for (let i = 0; i < want.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  const cpu: number[] = [], gpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    cpuF(...c.args).dataSync();
    cpu.push(performance.now() - t0);
    t0 = performance.now();
    await gpuF(...c.args).data();
    gpu.push(performance.now() - t0);
  }
  return { cpu: median(cpu), gpu: median(gpu), maxDiff: maxDiff / Math.max(1, scale) };
}

function cases(): Case[] {
  const out: Case[] = [];
  const n = 1 << 20;
  const x = tsArray(uniform(n, 1, -2, 2), [n]);
  out.push({ name: `fused elementwise, ${n} f32`, fn: (a) => np.tanh(a.mul(1.5).add(0.5)).mul(a).sub(np.exp(a.neg())), args: [x] });
  const s = tsArray(uniform(512 * 512, 2, -5, 5), [512, 512]);
  out.push({
    name: "softmax over rows, 512×512 f32",
    fn: (a) => {
      const e = np.exp(a.sub(np.max(a, -1, { keepdims: true })));
      return e.div(np.sum(e, -1, { keepdims: true }));
    },
    args: [s],
  });
  for (const m of [256, 512, 1024]) {
    const a = tsArray(uniform(m * m, 10 + m), [m, m]), b = tsArray(uniform(m * m, 20 + m), [m, m]);
    out.push({ name: `matmul ${m}×${m}`, fn: (p, q) => np.matmul(p, q), args: [a, b], flops: 2 * m * m * m });
  }
  const batch = 128, din = 784, hidden = 256, dout = 10;
  const mx = tsArray(uniform(batch * din, 30), [batch, din]);
  const w1 = tsArray(uniform(din * hidden, 31, -0.05, 0.05), [din, hidden]), w2 = tsArray(uniform(hidden * dout, 32, -0.1, 0.1), [hidden, dout]);
  out.push({
    name: `MLP forward ${batch}×${din} → ${hidden} → ${dout}, softmax`,
    fn: (v, a, b) => {
      const h = np.tanh(np.matmul(v, a));
      const z = np.matmul(h, b);
      const e = np.exp(z.sub(z.max(-1, { keepdims: true })));
      return e.div(e.sum(-1, { keepdims: true }));
    },
    args: [mx, w1, w2],
  });
  out.push({ name: "dispatch overhead: x + 1 on 4 elements", fn: (v) => v.add(1), args: [np.ones([4])] });
  return out;
}

export const webgpuGroup: Group = {
  id: "webgpu",
  title: "webgpu vs cpu backend",
  async run(ctx) {
    try {
      await init("webgpu");
    } catch (e) {
      return [{ name: "webgpu backend", tsjit: "n/a", baseline: "", status: "N/A", note: (e as Error).message.split("\n")[0]! }];
    }
    const rows: Row[] = [];
    for (const c of cases()) {
      ctx.log(`webgpu: ${c.name}`);
      const { cpu, gpu, maxDiff } = await measure(c, c.flops && c.flops > 1e9 ? 5 : 15);
      const rate = c.flops ? `, ${gflops(c.flops, gpu).toFixed(1)} vs ${gflops(c.flops, cpu).toFixed(1)} GFLOP/s` : "";
      rows.push({
        name: c.name,
        tsjit: formatTime(gpu),
        baseline: "tsjit cpu backend",
        baselineTime: formatTime(cpu),
        ratio: cpu / gpu,
        note: `webgpu (lavapipe if no GPU) per call incl. readback${rate}; max rel. difference ${maxDiff.toExponential(1)}`,
      });
    }
    return rows;
  },
};
