// The webgpu backend: the shared schedule (optimize + fusion) compiled to WGSL compute
// shaders, run on a WebGPU device with buffers that stay on the device.
//
// Execution is queued, never blocking: `run` returns output buffers at once. Programs run
// in call order through one queue; a program runs synchronously (encode + submit) when
// nothing is queued ahead of it and it needs no host decision. Host decisions are only
// while-loop predicates, read back after batches of 1, 2, 4, ... 64 iterations (the body
// is guarded by the predicate on the device, so iterations past the end do nothing). Branches of cond/switch never
// read back: every kernel of a branch is guarded by the branch index in device memory.
// scan/foriLoop loop on the host over device buffers with the counter on the device.

import { shortName, type DType, type TypedArray } from "../../dtype.js";
import type { ShapedArray } from "../../ir/aval.js";
import type { Jaxpr } from "../../ir/jaxpr.js";
import { optimize } from "../../ir/passes.js";
import { scheduleJaxpr, type BufferDecl, type Expr, type OutputRef, type Program, type ScalarDecl, type Step } from "../../ir/fusion.js";
import { BackendError, type Backend, type Executable } from "../backend.js";
import { DTypeError } from "../../errors.js";
import { acquireDevice, currentDevice, type DeviceState } from "./device.js";
import { allocate, bytesOf, f16Bits, lostError, readBack, release, STORAGE_USAGE, upload, type GpuBuf } from "./buffers.js";
import { loopKernel, matmulKernel, num, scalarUpdateKernel, scatterKernel, type Guard, type KernelSource } from "./wgsl.js";
import { chunkable, chunks, splitWide, twoPass, type LoopStep } from "./split.js";
import { sortKernels } from "./sort.js";
import { cumulativeKernels } from "./cumulative.js";
import { View } from "../../ir/view.js";
import { checkConcreteInputs, planText, readPlan } from "../prebuilt-plan.js";

interface KernelNode {
  readonly kind: "kernel";
  readonly src: KernelSource;
  pipeline?: GPUComputePipeline;
  /** The last bind group and the buffers it binds (reused while they are the same). */
  lastBuffers?: GPUBuffer[];
  lastGroup?: GPUBindGroup;
  /** Per binding: the byte range bound (chunks of arrays over maxStorageBufferBindingSize); whole where absent. */
  readonly ranges?: readonly (BindRange | undefined)[];
}
interface BindRange { readonly offset: number; readonly size: number }

/** The device's binding limits, for splitting kernels over large arrays into chunks. */
interface BindLimits {
  readonly maxBinding: number;
  /** minStorageBufferOffsetAlignment. */
  readonly align: number;
}

/**
 * The kernel nodes computing a loop step. A step binding an array over maxBinding runs in
 * chunks, each binding one range of every large array, when it is elementwise (see
 * split.ts `chunkable`); other kernels bind whole arrays (checked by checkBindings).
 */
function loopNodes(step: LoopStep, guards: readonly Guard[], limits: BindLimits | undefined): KernelNode[] {
  const whole = () => [kernel(loopKernel({ ...step, guards }))];
  if (!limits) return whole();
  const isLarge = (b: BufferDecl) => bytesOf(b.dtype, num(b.size, "a buffer size")) > limits.maxBinding;
  const bound = (e: LoopStep) => (e.target.kind === "buffer" && isLarge(e.target.buffer)) || readsLarge(e.expr, isLarge);
  if (!bound(step) || !chunkable(step, isLarge)) return whole();
  const per = Math.floor(limits.maxBinding / limits.align) * (limits.align / 4);
  return chunks(step, per).map((c) => {
    const src = loopKernel({ ...c.step, guards });
    const ranges = src.buffers.map((b) => (isLarge(b) ? { offset: c.start * 4, size: c.length * 4 } : undefined));
    return { kind: "kernel", src, ranges };
  });
}

function readsLarge(e: Expr, isLarge: (b: BufferDecl) => boolean): boolean {
  switch (e.kind) {
    case "load": return isLarge(e.buffer);
    case "gather": return isLarge(e.buffer) || readsLarge(e.offset, isLarge);
    case "convert": return readsLarge(e.arg, isLarge);
    case "op": return e.args.some((a) => readsLarge(a, isLarge));
    case "reduce": return readsLarge(e.body, isLarge);
    default: return false;
  }
}
interface BufferSwap { readonly current: number; readonly next: number }
type Node =
  | KernelNode
  | { readonly kind: "scan"; readonly length: number; readonly init: KernelNode; readonly end: KernelNode; readonly body: Node[]; readonly swaps: BufferSwap[] }
  /** Iterations run in batches between predicate readbacks: the body and carry copies are guarded by the predicate. */
  | { readonly kind: "while"; readonly cond: Node[]; readonly pred: ScalarDecl; readonly guards: readonly Guard[]; readonly body: Node[]; readonly end: KernelNode[] };

const kernel = (src: KernelSource): KernelNode => ({ kind: "kernel", src });

function scalarRef(s: ScalarDecl): string {
  return `sc[${s.id}]`;
}

/** Lowers the schedule's steps to kernels and host loops; kernels inside branches get guards. */
function compileSteps(steps: readonly Step[], guards: readonly Guard[], buffers: BufferDecl[], limits?: BindLimits): Node[] {
  const out: Node[] = [];
  const compileSteps_ = (s: readonly Step[], g: readonly Guard[]) => compileSteps(s, g, buffers, limits);
  const newTemp = (dtype: DType, size: number): BufferDecl => {
    const b: BufferDecl = { id: buffers.length, dtype, size, kind: "temp", index: -1 };
    buffers.push(b);
    return b;
  };
  for (const step of steps) {
    switch (step.kind) {
      case "loop":
        if (num(sizeOfShape(step.shape), "a loop size") === 0 && step.target.kind === "buffer") break;
        for (const pass of twoPass(step, newTemp)) {
          if (pass.chunks) out.push(kernel(loopKernel({ ...pass, guards })));
          else for (const part of splitWide(pass, newTemp)) out.push(...loopNodes(part, guards, limits));
        }
        break;
      case "matmul":
        out.push(kernel(matmulKernel(step, guards)));
        break;
      case "scatter":
        if (num(sizeOfShape(step.shape), "a scatter size") === 0) break;
        out.push(kernel(scatterKernel(step, guards)));
        break;
      case "sort":
        for (const src of sortKernels(step, guards, newTemp)) out.push(kernel(src));
        break;
      case "cumulative":
        for (const src of cumulativeKernels(step, guards, newTemp)) out.push(kernel(src));
        break;
      case "cond":
        step.branches.forEach((b, i) => out.push(...compileSteps_(b, [...guards, { scalar: step.index, value: i }])));
        break;
      case "while": {
        // Iterations past the end are no-ops on the device (everything after the predicate is
        // guarded by it), so several run between two readbacks. Carries are copied on the
        // device, not swapped on the host, since the host does not know where the loop ended.
        const live = [...guards, { scalar: step.pred, value: 1 }];
        const scalarSwaps = step.swaps.flatMap((s) => (s.kind === "scalar" ? [`${scalarRef(s.current)} = ${scalarRef(s.next)};`] : []));
        const end = step.swaps.flatMap((s) => {
          if (s.kind === "scalar") return [];
          const size = num(s.current.size, "a carry size");
          if (size === 0) return [];
          const view = View.contiguous([size]);
          return loopNodes({ shape: [size], target: { kind: "buffer", buffer: s.current, view }, expr: { kind: "load", buffer: s.next, view, dtype: s.next.dtype } }, live, limits);
        });
        if (scalarSwaps.length) end.push(kernel(scalarUpdateKernel(scalarSwaps, live)));
        out.push({ kind: "while", cond: compileSteps_(step.cond, guards), pred: step.pred, guards, body: compileSteps_(step.body, live), end });
        break;
      }
      case "scan": {
        const length = num(step.length, "a scan length");
        const c = step.counter.id;
        const scalarSwaps = step.swaps.flatMap((s) => (s.kind === "scalar" ? [`${scalarRef(s.current)} = ${scalarRef(s.next)};`] : []));
        out.push({
          kind: "scan",
          length,
          init: kernel(scalarUpdateKernel([`sc[${c}] = bitcast<u32>(${step.reverse ? length - 1 : 0}i);`], guards)),
          end: kernel(scalarUpdateKernel([...scalarSwaps, `sc[${c}] = bitcast<u32>(bitcast<i32>(sc[${c}]) ${step.reverse ? "-" : "+"} 1i);`], guards)),
          body: compileSteps_(step.body, guards),
          swaps: step.swaps.flatMap((s) => (s.kind === "buffers" ? [{ current: s.current.id, next: s.next.id }] : [])),
        });
        break;
      }
    }
  }
  return out;
}

function sizeOfShape(shape: readonly unknown[]): number {
  return shape.reduce<number>((n, d) => n * num(d as number, "a size"), 1);
}

function* kernelsOf(nodes: readonly Node[]): Generator<KernelNode> {
  for (const n of nodes) {
    if (n.kind === "kernel") yield n;
    else if (n.kind === "scan") { yield n.init; yield* kernelsOf(n.body); yield n.end; }
    else { yield* kernelsOf(n.cond); yield* kernelsOf(n.body); yield* n.end; }
  }
}

const hasWhile = (nodes: readonly Node[]): boolean =>
  nodes.some((n) => n.kind === "while" || (n.kind === "scan" && hasWhile(n.body)));

export function lowerForWebgpu(jaxpr: Jaxpr): Program {
  return scheduleJaxpr(optimize(jaxpr));
}

function sourceText(nodes: readonly Node[]): string {
  return [...kernelsOf(nodes)].map((k, i) => `// kernel ${i}: ${k.src.label}\n${k.src.code}`).join("\n\n");
}

/** The WGSL of a jaxpr's kernels (for `lower(...).asText("wgsl")`); needs no device. */
export function wgslSource(jaxpr: Jaxpr): string {
  const program = lowerForWebgpu(jaxpr);
  return sourceText(compileSteps(program.steps, [], program.buffers.slice()));
}

// --- pipelines (cached per device by shader text) ------------------------------------------

const pipelineCache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

function pipelineFor(dev: DeviceState, src: KernelSource): Promise<GPUComputePipeline> {
  let cache = pipelineCache.get(dev.device);
  if (!cache) pipelineCache.set(dev.device, (cache = new Map()));
  let p = cache.get(src.code);
  if (!p) {
    p = createPipeline(dev, src);
    cache.set(src.code, p);
    p.catch(() => cache!.delete(src.code));
  }
  return p;
}

/** @internal exported for tests: compiles one kernel's shader, reporting WGSL errors with their line. */
export async function createPipeline(dev: DeviceState, src: KernelSource): Promise<GPUComputePipeline> {
  const { device } = dev;
  const bindings = src.buffers.length + (src.usesScalars ? 1 : 0);
  if (bindings > device.limits.maxStorageBuffersPerShaderStage) {
    throw new BackendError(`A fused kernel (${src.label}) reads ${bindings} buffers; this WebGPU device binds at most ${device.limits.maxStorageBuffersPerShaderStage}.`,
      "Run this function on the cpu backend, or split it (fewer distinct arrays per elementwise expression).");
  }
  device.pushErrorScope("validation");
  const module = device.createShaderModule({ code: src.code, label: src.label });
  const moduleError = await device.popErrorScope();
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === "error");
  if (moduleError || errors.length) {
    const lines = src.code.split("\n");
    const detail = errors.map((m) => `line ${m.lineNum}: ${m.message}\n    ${lines[m.lineNum - 1] ?? ""}`).join("\n") || moduleError!.message;
    throw new BackendError(`The webgpu backend generated a WGSL shader that does not compile (${src.label}):\n${detail}`,
      "This is a tsjit bug: please report it with the shader (lower(...).asText(\"wgsl\")). Meanwhile run the function on the cpu backend.");
  }
  try {
    return await device.createComputePipelineAsync({ layout: "auto", compute: { module, entryPoint: "main" }, label: src.label });
  } catch (e) {
    throw new BackendError(`Creating the WebGPU pipeline for ${src.label} failed: ${(e as Error).message}`, "Run the function on the cpu backend.");
  }
}

const MAX_WHILE_BATCH = 64;

/** Counters for tests and benchmarks: host syncs are while-loop predicate readbacks. */
export const webgpuStats = { hostSyncs: 0, dispatches: 0 };

// --- the queue of programs ---------------------------------------------------------------

let tail: Promise<void> | undefined;

/** Queues `job` after every earlier program; its outputs are pending until it has run. */
function enqueue(job: () => Promise<void>, outs: readonly GpuBuf[]): void {
  const p = (tail ?? Promise.resolve()).then(job);
  for (const o of outs) o.pending = p;
  const t = p.then(
    () => undefined,
    (e: unknown) => {
      for (const o of outs) o.error = e;
    },
  );
  tail = t;
  void t.then(() => {
    if (tail === t) tail = undefined;
  });
}

function checkInput(h: GpuBuf, dev: DeviceState): void {
  if (h.error !== undefined) throw h.error;
  if (h.device !== dev) {
    throw new BackendError("An array from an earlier (lost) WebGPU device was used.", "Recompute the array on the current device.");
  }
  // A freed buffer may still be read here: its array was collected after this program was
  // queued. Its reuse is safe, since everything that writes pooled buffers is queued after.
}

/** Host-side state of one run: which device buffer each BufferDecl is, the command encoder. */
class Runner {
  enc: GPUCommandEncoder;
  private pass: GPUComputePassEncoder | undefined;
  constructor(readonly dev: DeviceState, readonly map: GPUBuffer[], readonly sc: GPUBuffer) {
    this.enc = dev.device.createCommandEncoder();
  }

  dispatch(k: KernelNode): void {
    const src = k.src;
    if (src.workgroups === 0) return;
    const buffers = src.buffers.map((b) => this.map[b.id]!);
    if (src.usesScalars) buffers.push(this.sc);
    let group = k.lastGroup;
    if (!group || !k.lastBuffers || k.lastBuffers.length !== buffers.length || k.lastBuffers.some((b, i) => b !== buffers[i])) {
      group = this.dev.device.createBindGroup({
        layout: k.pipeline!.getBindGroupLayout(0),
        entries: buffers.map((buffer, binding) => {
          const r = k.ranges?.[binding];
          return { binding, resource: r ? { buffer, offset: r.offset, size: r.size } : { buffer } };
        }),
      });
      k.lastGroup = group;
      k.lastBuffers = buffers;
    }
    webgpuStats.dispatches++;
    const pass = (this.pass ??= this.enc.beginComputePass());
    pass.setPipeline(k.pipeline!);
    pass.setBindGroup(0, group);
    if (src.grid) pass.dispatchWorkgroups(src.grid[0], src.grid[1], src.grid[2]);
    else {
      const x = Math.min(src.workgroups, 65535);
      pass.dispatchWorkgroups(x, Math.ceil(src.workgroups / x));
    }
  }

  endPass(): void {
    this.pass?.end();
    this.pass = undefined;
  }

  submit(): void {
    this.endPass();
    this.dev.device.queue.submit([this.enc.finish()]);
    this.enc = this.dev.device.createCommandEncoder();
  }

  swap(swaps: readonly BufferSwap[]): void {
    for (const s of swaps) {
      const t = this.map[s.current]!;
      this.map[s.current] = this.map[s.next]!;
      this.map[s.next] = t;
    }
  }

  execSync(nodes: readonly Node[]): void {
    for (const n of nodes) {
      if (n.kind === "kernel") this.dispatch(n);
      else if (n.kind === "scan") {
        if (n.length === 0) continue;
        this.dispatch(n.init);
        for (let t = 0; t < n.length; t++) {
          this.execSync(n.body);
          this.dispatch(n.end);
          this.swap(n.swaps);
        }
      } else throw new Error("internal: a while loop in a synchronous run");
    }
  }

  async execAsync(nodes: readonly Node[]): Promise<void> {
    for (const n of nodes) {
      if (n.kind === "kernel") this.dispatch(n);
      else if (n.kind === "scan") {
        if (n.length === 0) continue;
        this.dispatch(n.init);
        for (let t = 0; t < n.length; t++) {
          await this.execAsync(n.body);
          this.dispatch(n.end);
          this.swap(n.swaps);
        }
      } else {
        // The one host decision: read the predicate (and enclosing branch guards) back, after
        // batches of 1, 2, 4, ... 64 iterations (a finished loop's extra iterations do nothing).
        for (let batch = 1; ; batch = Math.min(batch * 2, MAX_WHILE_BATCH)) {
          for (let i = 0; i < batch; i++) {
            await this.execAsync(n.cond);
            await this.execAsync(n.body);
            for (const k of n.end) this.dispatch(k);
          }
          await this.execAsync(n.cond);
          const words = await this.readScalars();
          if (n.guards.some((g) => words[g.scalar.id] !== wordOf(g.value, g.scalar.dtype)) || words[n.pred.id] === 0) break;
        }
      }
    }
  }

  private async readScalars(): Promise<Uint32Array> {
    webgpuStats.hostSyncs++;
    const { device } = this.dev;
    const staging = device.createBuffer({ size: this.sc.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.endPass();
    this.enc.copyBufferToBuffer(this.sc, 0, staging, 0, this.sc.size);
    this.submit();
    try {
      await staging.mapAsync(GPUMapMode.READ);
    } catch (e) {
      throw this.dev.lost ? lostError(this.dev) : e;
    }
    const words = new Uint32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    return words;
  }
}

function wordOf(v: number, dtype: DType): number {
  if (dtype === "float32") return new Uint32Array(Float32Array.of(v).buffer)[0]!;
  return v >>> 0;
}

/** Frees an executable's own buffers (temps, carries, scalars, consts) when it is collected. */
const ownedBuffers = typeof FinalizationRegistry !== "undefined"
  ? new FinalizationRegistry<GPUBuffer[]>((list) => list.forEach((b) => b.destroy()))
  : undefined;

/**
 * A program compiled to kernels and host loops: everything an executable needs, and no
 * more (no IR). Plain data with concrete sizes, so that it is also the payload of a prebuilt
 * entry (written as JSON at build time; a prebuilt call only creates the pipelines).
 */
interface Plan {
  readonly inputs: Program["inputs"];
  /** The program's buffers and the temporaries of split kernels. */
  readonly buffers: readonly BufferDecl[];
  readonly scalars: number;
  readonly outputs: Program["outputs"];
  readonly nodes: readonly Node[];
}

/** `limits`: the device's, so that elementwise kernels over wide arrays run in chunks (absent at build time). */
function planOf(program: Program, limits?: BindLimits): Plan {
  const buffers = program.buffers.slice();
  const nodes = compileSteps(program.steps, [], buffers, limits);
  return { inputs: program.inputs, buffers, scalars: program.scalars.length, outputs: program.outputs, nodes };
}

class WebgpuExecutable implements Executable {
  private readonly nodes: readonly Node[];
  private readonly buffers: readonly BufferDecl[];
  private readonly asyncRun: boolean;
  readonly source: string;
  private dev: DeviceState | undefined;
  private prepared: Promise<void> | undefined;
  private ready = false;
  /** Device buffer per BufferDecl id for temps, carries and consts (inputs/outputs per run). */
  private base: GPUBuffer[] = [];
  private sc!: GPUBuffer;

  constructor(private readonly program: Plan, private readonly consts: readonly GpuBuf[]) {
    this.buffers = program.buffers;
    this.nodes = program.nodes;
    this.asyncRun = hasWhile(this.nodes);
    this.source = sourceText(this.nodes);
  }

  checkBindings(jaxpr: Jaxpr, dev: DeviceState): void {
    checkBindings(this.nodes, this.buffers, jaxpr, this.program, dev);
  }

  /** Pipelines, owned buffers and constant copies on `dev` (again after a device loss). */
  private prepare(dev: DeviceState): Promise<void> {
    if (this.dev === dev && this.prepared) return this.prepared;
    this.dev = dev;
    this.ready = false;
    this.prepared = (async () => {
      const kernels = [...kernelsOf(this.nodes)];
      const pipelines = await Promise.all(kernels.map((k) => pipelineFor(dev, k.src)));
      kernels.forEach((k, i) => {
        k.pipeline = pipelines[i];
        k.lastGroup = undefined;
        k.lastBuffers = undefined;
      });
      const owned: GPUBuffer[] = [];
      const create = (bytes: number) => {
        const b = dev.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage: STORAGE_USAGE() });
        owned.push(b);
        return b;
      };
      const base: GPUBuffer[] = [];
      const enc = dev.device.createCommandEncoder();
      for (const b of this.buffers) {
        if (b.kind === "temp" || b.kind === "carry") base[b.id] = create(bytesOf(b.dtype, num(b.size, "a buffer size")));
        else if (b.kind === "const") {
          const h = this.consts[b.index]!;
          if (h.pending) await h.pending;
          checkInput(h, dev);
          base[b.id] = create(h.bytes);
          if (h.bytes) enc.copyBufferToBuffer(h.buffer, 0, base[b.id]!, 0, h.bytes);
        }
      }
      dev.device.queue.submit([enc.finish()]);
      this.sc = create(Math.max(1, this.program.scalars) * 4);
      this.base = base;
      ownedBuffers?.register(this, owned);
      this.ready = true;
    })();
    this.prepared.catch(() => {
      this.prepared = undefined;
    });
    return this.prepared;
  }

  run(args: readonly unknown[]): unknown[] {
    const dev = currentDevice();
    const program = this.program;
    const inputs: GpuBuf[] = [];
    for (const inp of program.inputs) {
      const a = args[inp.index];
      if (typeof a === "object" && a !== null) inputs.push(a as GpuBuf);
    }
    // Fresh buffers for every output; outputs that alias an input, a constant or another output are copied.
    const perDecl = new Map<number, GpuBuf>();
    for (const b of this.buffers) if (b.kind === "output") perDecl.set(b.id, allocate(dev, bytesOf(b.dtype, num(b.size, "an output size"))));
    const used = new Set<number>();
    const outs: GpuBuf[] = program.outputs.map((o) => {
      if (o.kind === "buffer" && o.buffer.kind === "output" && !used.has(o.buffer.id)) {
        used.add(o.buffer.id);
        return perDecl.get(o.buffer.id)!;
      }
      return allocate(dev, outputBytes(o));
    });
    const job = () => {
      for (const h of inputs) checkInput(h, dev);
      const map = this.base.slice();
      for (const b of this.buffers) {
        if (b.kind === "input") map[b.id] = (args[b.index] as GpuBuf).buffer;
        else if (b.kind === "output") map[b.id] = perDecl.get(b.id)!.buffer;
      }
      const r = new Runner(dev, map, this.sc);
      this.writeScalarInputs(r, args);
      const finish = () => {
        this.copyOutputs(r, outs);
        r.submit();
      };
      if (!this.asyncRun) {
        r.execSync(this.nodes);
        finish();
        return undefined;
      }
      return r.execAsync(this.nodes).then(finish);
    };
    if (this.ready && this.dev === dev && !this.asyncRun && tail === undefined) {
      try {
        job();
      } catch (e) {
        outs.forEach(release);
        throw e;
      }
    } else {
      enqueue(async () => {
        await this.prepare(dev);
        for (const h of inputs) if (h.pending) await h.pending.catch(() => undefined);
        await job();
      }, outs);
    }
    return outs;
  }

  private writeScalarInputs(r: Runner, args: readonly unknown[]): void {
    for (const inp of this.program.inputs) {
      if ("size" in inp) continue;
      const a = args[inp.index];
      if (typeof a === "number" || typeof a === "boolean") {
        r.dev.device.queue.writeBuffer(this.sc, inp.id * 4, scalarWords(+a, inp.dtype));
      } else {
        r.enc.copyBufferToBuffer((a as GpuBuf).buffer, 0, this.sc, inp.id * 4, 4);
      }
    }
  }

  private copyOutputs(r: Runner, outs: readonly GpuBuf[]): void {
    r.endPass();
    this.program.outputs.forEach((o, i) => {
      const h = outs[i]!;
      if (o.kind === "buffer") {
        const src = r.map[o.buffer.id]!;
        if (src !== h.buffer && h.bytes) r.enc.copyBufferToBuffer(src, 0, h.buffer, 0, h.bytes);
      } else if (o.kind === "scalar") {
        r.enc.copyBufferToBuffer(this.sc, o.scalar.id * 4, h.buffer, 0, 4);
      } else {
        r.dev.device.queue.writeBuffer(h.buffer, 0, scalarWords(num(o.value, "a constant"), o.dtype));
      }
    });
  }
}

function outputBytes(o: OutputRef): number {
  if (o.kind === "buffer") return bytesOf(o.buffer.dtype, num(o.buffer.size, "an output size"));
  return 4;
}

function scalarWords(v: number, dtype: DType): Uint32Array {
  const w = new Uint32Array(1);
  if (dtype === "float32") new Float32Array(w.buffer)[0] = v;
  else if (dtype === "float16") w[0] = f16Bits(v);
  else if (dtype === "int32") new Int32Array(w.buffer)[0] = v;
  else if (dtype === "uint32") w[0] = v;
  else w[0] = v ? 1 : 0;
  return w;
}

function checkF16(dev: DeviceState): void {
  if (!dev.hasF16) {
    throw new DTypeError("float16 arrays need the WebGPU feature 'shader-f16', which this adapter does not have.", "Use float32 (x.astype(\"float32\")).");
  }
}

function readSyncError(aval: ShapedArray): BackendError {
  return new BackendError(`A webgpu array (${aval.str}) cannot be read synchronously: its data is on the GPU.`,
    "Read it with `await x.data()`, or move it to the cpu backend with `x = await devicePut(x, \"cpu\")` (or `await x.to(\"cpu\")`).");
}

/** What a program's buffer holds, for errors: "input 0 (f32[4096])". */
function describeBuffer(b: BufferDecl, jaxpr: Jaxpr, program: Pick<Plan, "outputs">): string {
  const flat = `${shortName(b.dtype)}[${String(b.size)}]`;
  const str = (a: { aval: ShapedArray } | undefined) => (a ? a.aval.str : flat);
  switch (b.kind) {
    case "input": return `input ${b.index} (${str(jaxpr.invars[b.index])})`;
    case "const": return `captured constant ${b.index} (${str(jaxpr.constvars[b.index])})`;
    case "output": {
      // Output buffers are numbered as computed; name the function output that returns it.
      const i = program.outputs.findIndex((o) => o.kind === "buffer" && o.buffer.id === b.id);
      return i < 0 ? `output ${flat}` : `output ${i} (${str(jaxpr.outvars[i])})`;
    }
    default: return `intermediate ${flat}`;
  }
}

/**
 * Every array a shader binds whole must fit the device's maxStorageBufferBindingSize (chunked
 * elementwise kernels bind ranges), and every array its maxBufferSize: a clear error naming
 * the array, its size and the limit, before anything runs.
 */
function checkBindings(nodes: readonly Node[], buffers: readonly BufferDecl[], jaxpr: Jaxpr, program: Pick<Plan, "outputs">, dev: DeviceState): void {
  const what = jaxpr.eqns.length === 1 ? `this ${jaxpr.eqns[0]!.primitive.name} operation` : "this function";
  const fits = Math.floor(dev.maxBinding / 4);
  const fix = `Process the data in parts of at most ${fits} elements (slice or np.split it, call the function per part, np.concatenate the results), ` +
    `keep large arrays in elementwise operations (those run in chunks), or run it on the cpu backend (jit(fn, { backend: "cpu" })).`;
  for (const b of buffers) {
    const bytes = bytesOf(b.dtype, num(b.size, "a buffer size"));
    if (bytes > dev.maxBuffer) {
      throw new BackendError(`The ${describeBuffer(b, jaxpr, program)} of ${what} on webgpu needs ${bytes} bytes, more than this WebGPU device's maxBufferSize (${dev.maxBuffer} bytes).`, fix);
    }
  }
  for (const k of kernelsOf(nodes)) {
    k.src.buffers.forEach((b, i) => {
      const bytes = bytesOf(b.dtype, num(b.size, "a buffer size"));
      if (bytes <= dev.maxBinding || k.ranges?.[i]) return;
      throw new BackendError(
        `The ${describeBuffer(b, jaxpr, program)} of ${what} on webgpu needs ${bytes} bytes, more than this WebGPU device's maxStorageBufferBindingSize ` +
          `(${dev.maxBinding} bytes), and a kernel that is not elementwise (${k.src.label}) binds it whole.`,
        fix,
      );
    });
  }
}

export const webgpuBackend: Backend = {
  name: "webgpu",

  async init(): Promise<void> {
    await acquireDevice();
  },

  compile(jaxpr: Jaxpr, consts: readonly unknown[]): Executable {
    const dev = currentDevice();
    const program = lowerForWebgpu(jaxpr);
    if (program.buffers.some((b) => b.dtype === "float16")) checkF16(dev);
    const limits = { maxBinding: dev.maxBinding, align: dev.device.limits.minStorageBufferOffsetAlignment };
    const exe = new WebgpuExecutable(planOf(program, limits), consts as GpuBuf[]);
    exe.checkBindings(jaxpr, dev);
    return exe;
  },

  prebuiltSource(jaxpr: Jaxpr): string {
    checkConcreteInputs(jaxpr.invars, "webgpu");
    // Sizes are baked into the shaders (`num` refuses symbolic ones while compiling).
    return `{ plan: ${planText(planOf(lowerForWebgpu(jaxpr)), "webgpu")} }`;
  },

  loadPrebuilt(payload: unknown, consts: readonly unknown[]) {
    const plan = readPlan((payload as { plan: Plan }).plan);
    if (plan.buffers.some((b) => b.dtype === "float16")) checkF16(currentDevice());
    // One executable serves every call: a webgpu entry has concrete sizes only.
    const exe = new WebgpuExecutable(plan, consts as GpuBuf[]);
    return () => exe;
  },

  fromHost(data: TypedArray, aval: ShapedArray): unknown {
    const dev = currentDevice();
    if (aval.dtype === "float16") checkF16(dev);
    const bytes = bytesOf(aval.dtype, data.length);
    if (bytes > dev.maxBuffer) {
      throw new BackendError(
        `A ${aval.str} array (${bytes} bytes) cannot go to webgpu: it is larger than this WebGPU device's maxBufferSize (${dev.maxBuffer} bytes).`,
        `Keep it on the cpu backend and move parts of at most ${Math.floor(dev.maxBuffer / 4)} elements (x.slice(...)), or compute on the cpu backend.`,
      );
    }
    return upload(dev, data, aval.dtype);
  },

  readSync(_buffer: unknown, aval: ShapedArray): TypedArray {
    throw readSyncError(aval);
  },

  read(buffer: unknown, aval: ShapedArray): Promise<TypedArray> {
    return readBack(buffer as GpuBuf, aval.dtype, aval.concreteSize);
  },

  async ready(buffer: unknown): Promise<void> {
    const h = buffer as GpuBuf;
    if (h.pending) await h.pending;
    if (h.error !== undefined) throw h.error;
    if (h.device.lost) throw lostError(h.device);
    await h.device.device.queue.onSubmittedWorkDone();
  },

  free(buffer: unknown): void {
    release(buffer as GpuBuf);
  },

  isLive(buffer: unknown): boolean {
    const h = buffer as GpuBuf;
    return !h.device.lost && !h.freed;
  },
};

export type { BufferDecl };
