// The eager trace at the bottom of the stack: a primitive applied to concrete arrays runs
// right away, through the same compiler as `jit` (a one-equation jaxpr, compiled once per
// primitive, params and input avals, then cached).

import { ConcreteArray } from "../array/concrete.js";
import { NDArray } from "../array/ndarray.js";
import { Jaxpr, Literal, Var, type Params } from "../ir/jaxpr.js";
import type { ShapedArray } from "../ir/aval.js";
import { foldScalar, paramsKey } from "../ir/passes.js";
import { typedArrayFor } from "../dtype.js";
import type { Primitive } from "../primitives/primitive.js";
import type { Backend, Executable } from "../backend/backend.js";
import { backendFor } from "../backend/registry.js";
import { ArgumentError } from "../errors.js";
import { allocationError } from "../array/allocation.js";
import { Trace, setEvalTrace, type Operand } from "./core.js";
import { Tracer, assertLive } from "./tracer.js";

interface CompiledOp {
  readonly executable: Executable;
  readonly outAvals: readonly ShapedArray[];
}

const MAX_CACHED_OPS = 1024;
const opCache = new Map<string, CompiledOp>();

function compileOp(backend: Backend, primitive: Primitive, inputs: readonly Operand[], params: Params, key: string): CompiledOp {
  const invars = inputs.map((x) => new Var(x instanceof Literal ? x.aval : (x as NDArray).aval));
  const outAvals = primitive.abstractEval(invars.map((v) => v.aval), params);
  const outputs = outAvals.map((a) => new Var(a));
  const jaxpr = new Jaxpr([], invars, [{ primitive, inputs: invars, params, outputs }], outputs);
  let executable: Executable;
  try {
    executable = backend.compile(jaxpr, []);
  } catch (e) {
    throw allocationError(e, primitive.name, outAvals);
  }
  const compiled = { executable, outAvals };
  if (opCache.size >= MAX_CACHED_OPS) opCache.delete(opCache.keys().next().value!);
  opCache.set(key, compiled);
  return compiled;
}

class EvalTrace extends Trace {
  processPrimitive(primitive: Primitive, inputs: readonly Operand[], params: Params): NDArray[] {
    let backend: Backend | undefined;
    let key = primitive.name + "|" + paramsKey(params);
    const args: unknown[] = new Array(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i]!;
      if (x instanceof Literal) {
        key += "|L" + x.aval.id;
        args[i] = x.value;
      } else if (x instanceof ConcreteArray) {
        // Mixed backends: the computation runs on the device, CPU operands are uploaded (once).
        if (backend === undefined || (x.backend !== backend && backend.name === "cpu")) backend = x.backend;
        key += "|" + x.aval.id;
      } else if (x instanceof Tracer) {
        assertLive(x);
        throw new Error("internal: a live tracer reached the eager trace");
      } else {
        throw new ArgumentError(`${primitive.name} got an operand that is not an array: ${String(x)}.`);
      }
    }
    backend ??= backendFor();
    if (primitive.scalar && inputs.length > 0 && inputs.every((x) => x instanceof Literal)) {
      // Math on JS numbers only: the exact value, as jit's constant folding computes it.
      const exact = this.scalarMath(primitive, inputs as Literal[], params, backend);
      if (exact) return exact;
    }
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i];
      if (x instanceof ConcreteArray) args[i] = x.bufferFor(backend);
    }
    key = backend.name + "|" + key;
    const op = opCache.get(key) ?? compileOp(backend, primitive, inputs, params, key);
    let outs: unknown[];
    try {
      outs = op.executable.run(args);
    } catch (e) {
      throw allocationError(e, primitive.name, op.outAvals);
    }
    return outs.map((buf, i) => new ConcreteArray(op.outAvals[i]!, buf, backend));
  }

  private scalarMath(primitive: Primitive, inputs: readonly Literal[], params: Params, backend: Backend): NDArray[] | undefined {
    const outAvals = primitive.abstractEval(inputs.map((x) => x.aval), params);
    if (outAvals.length !== 1 || outAvals[0]!.ndim !== 0) return undefined;
    const out = outAvals[0]!;
    const value = foldScalar(primitive, inputs, out.dtype, params);
    if (value === undefined) return undefined;
    const data = typedArrayFor(out.dtype, 1);
    data[0] = value;
    return [new ConcreteArray(out, backend.fromHost(data, out), backend)];
  }
}

setEvalTrace(new EvalTrace(0));
