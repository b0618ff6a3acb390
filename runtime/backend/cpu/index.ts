// The CPU backend: buffers are typed arrays; a jaxpr is optimized, fused and compiled into
// one generated JavaScript function, or interpreted where code generation is forbidden.

import type { TypedArray } from "../../dtype.js";
import type { Jaxpr } from "../../ir/jaxpr.js";
import { optimize } from "../../ir/passes.js";
import { scheduleJaxpr, type Program } from "../../ir/fusion.js";
import { DTypeError } from "../../errors.js";
import { runtimeHelpers } from "./scalar-ops.js";
import type { Backend, Executable } from "../backend.js";
import { generateProgram } from "./codegen.js";
import { interpretProgram } from "./interpreter.js";
import { matmul, matmulInt } from "./matmul.js";
import { sortRows } from "./sort.js";
import { cumulativeRows } from "./cumulative.js";

/** Everything generated code may call, passed in as `rt`. */
export const cpuRuntime = Object.freeze({ ...runtimeHelpers, matmul, matmulInt, sortRows, cumulativeRows });

export type KernelFactory = (rt: typeof cpuRuntime, consts: readonly TypedArray[]) => (args: readonly unknown[], dims?: Readonly<Record<string, number>>) => TypedArray[];

/** The cpu payload of a prebuilt entry: the generated kernel factory, as written into the output. */
interface CpuPayload {
  readonly kernel: KernelFactory;
}

let codegenAllowed: boolean | undefined;

/** Whether `new Function` works here (false under a strict CSP or --disallow-code-generation-from-strings). */
export function canGenerateCode(): boolean {
  if (codegenAllowed === undefined) {
    try {
      codegenAllowed = new Function("return 1")() === 1;
    } catch {
      codegenAllowed = false;
    }
  }
  return codegenAllowed;
}

/** Test hook: force the interpreter (true) or restore detection (undefined). */
export function forceInterpreter(on: boolean | undefined): void {
  codegenAllowed = on === undefined ? undefined : !on;
}

/** Refuses float16 (a WebGPU-only dtype) on a CPU-side backend ("cpu", "wasm"). */
export function checkNoFloat16(jaxpr: Jaxpr, backend = "cpu"): void {
  const all = [...jaxpr.invars, ...jaxpr.constvars, ...jaxpr.eqns.flatMap((e) => e.outputs)];
  if (all.some((v) => v.aval.dtype === "float16")) {
    throw new DTypeError(`The ${backend} backend has no float16 arrays.`, `Use float32 on the ${backend} backend, or run on webgpu (jit(fn, { backend: "webgpu" })).`);
  }
}

export function lowerForCpu(jaxpr: Jaxpr): Program {
  checkNoFloat16(jaxpr);
  return scheduleJaxpr(optimize(jaxpr));
}

export const cpuBackend: Backend = {
  name: "cpu",

  compile(jaxpr: Jaxpr, consts: readonly unknown[]): Executable {
    const program = lowerForCpu(jaxpr);
    const constBuffers = consts as readonly TypedArray[];
    if (canGenerateCode()) {
      const { body } = generateProgram(program);
      const factory = new Function("rt", "consts", body) as KernelFactory;
      return { run: factory(cpuRuntime, constBuffers), source: body };
    }
    return { run: interpretProgram(program, constBuffers) };
  },

  fromHost(data: TypedArray): unknown {
    return data;
  },

  hostData(buffer: unknown): TypedArray {
    return buffer as TypedArray;
  },

  readSync(buffer: unknown): TypedArray {
    return buffer as TypedArray;
  },

  read(buffer: unknown): Promise<TypedArray> {
    return Promise.resolve(buffer as TypedArray);
  },

  prebuiltSource(jaxpr: Jaxpr): string {
    const { body } = generateProgram(lowerForCpu(jaxpr));
    return `{\n  kernel: function (rt, consts) {\n${body.split("\n").map((l) => "    " + l).join("\n")}\n  },\n}`;
  },

  loadPrebuilt(payload: unknown, consts: readonly unknown[]) {
    const run = (payload as CpuPayload).kernel(cpuRuntime, consts as readonly TypedArray[]);
    return (dims) => ({ run: (args) => run(args, dims) });
  },
};
