// Peer libraries measured in the same process. `@jax-js/jax` (a devDependency) runs on
// Node through its WebAssembly backend; it is loaded through a computed specifier so the
// benchmark still builds and runs (saying why) where it is missing or does not work.
//
// jax-js uses reference-counted ownership: every call consumes its array arguments, so
// inputs that are reused are passed as `x.ref`, and `dataSync()` consumes the result.

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface JaxJs {
  readonly np: any;
  readonly nn: any;
  readonly jit: (fn: (...args: any[]) => any) => any;
  /** jax-js's valueAndGrad (for the training-step row). */
  readonly valueAndGrad: (fn: (...args: any[]) => any, opts?: { argnums?: number | number[] }) => any;
  readonly version: string;
  readonly device: string;
  /** A jax-js array of the given shape holding `data` (a copy): float32, or int32 from an Int32Array. */
  array(data: Float32Array | Int32Array, shape: readonly number[]): any;
}

export type PeerStatus = { ok: true; jax: JaxJs } | { ok: false; reason: string };

let loaded: Promise<PeerStatus> | undefined;

export function loadJaxJs(): Promise<PeerStatus> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<PeerStatus> {
  if (process.env.BENCH_NO_JAXJS) return { ok: false, reason: "skipped (BENCH_NO_JAXJS is set)" };
  const spec = "@jax-js/jax";
  let mod: any;
  try {
    mod = await import(spec);
  } catch (e) {
    return { ok: false, reason: `not installed (${firstLine(e)}); run npm install` };
  }
  let version = "?";
  try {
    const { createRequire } = await import("node:module");
    const require = createRequire(import.meta.url);
    // The package's exports hide package.json; find it next to the resolved entry point.
    const { readFileSync } = await import("node:fs");
    const { dirname, join } = await import("node:path");
    const entry = require.resolve(spec);
    version = JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")).version;
  } catch {
    // The version is informational only.
  }
  try {
    // A bare init() probes WebGPU through `navigator`, which Node 20 lacks: ask for wasm.
    const devices: string[] = await mod.init("wasm");
    if (!devices.includes("wasm")) return { ok: false, reason: `no wasm device on this host (devices: ${devices.join(", ")})` };
    mod.defaultDevice("wasm");
    const np = mod.numpy;
    const jax: JaxJs = {
      np,
      nn: mod.nn,
      jit: mod.jit,
      valueAndGrad: mod.valueAndGrad,
      version,
      device: "wasm",
      array: (data, shape) => np.array(data).reshape([...shape]),
    };
    // Smoke test: a jitted function gives the right numbers.
    const f = jax.jit((x: any) => x.mul(2).add(1));
    const got = f(jax.array(new Float32Array([1, 2, 3]), [3])).dataSync();
    if (got[0] !== 3 || got[1] !== 5 || got[2] !== 7) return { ok: false, reason: `smoke test gave [${Array.from(got).join(", ")}]` };
    return { ok: true, jax };
  } catch (e) {
    return { ok: false, reason: `does not run here: ${firstLine(e)}` };
  }
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split("\n")[0]!;
}

export function jaxLabel(jax: JaxJs): string {
  return `@jax-js/jax ${jax.version} (${jax.device})`;
}
