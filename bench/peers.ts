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

// ---------------------------------------------------------------------------------------
// tfjs-wasm: `@tensorflow/tfjs-core` with `@tensorflow/tfjs-backend-wasm` (devDependencies,
// exact 4.22.0), single-threaded with SIMD. In Node the Emscripten loader reads the .wasm
// file from disk through `fs` when the path prefix given to setWasmPaths is a directory:
// point it at the package's own dist/ folder (no network). The multithreaded build is
// turned off with the WASM_HAS_MULTITHREAD_SUPPORT flag, so tfjs loads
// tfjs-backend-wasm-simd.wasm — the single-thread figure the targets compare with.

export interface TfWasm {
  /** The tfjs-core module (use its functions: tensor methods like x.add need tfjs's chained-op registration, which tfjs-core alone does not load). */
  readonly tf: any;
  readonly version: string;
  /** Which .wasm build runs ("simd" or "plain"). */
  readonly build: string;
  /** A tfjs float32 tensor of the given shape holding `data` (a copy); keep it (not disposed). */
  tensor(data: Float32Array, shape: readonly number[]): any;
  /**
   * One call: runs `fn` inside tf.tidy (intermediates freed), reads the result back with
   * dataSync and disposes it — the same work as a tsjit call plus its dataSync().
   */
  run(fn: () => any): ArrayLike<number>;
}

export type TfStatus = { ok: true; tf: TfWasm } | { ok: false; reason: string };

let tfLoaded: Promise<TfStatus> | undefined;

export function loadTfWasm(): Promise<TfStatus> {
  tfLoaded ??= loadTf();
  return tfLoaded;
}

async function loadTf(): Promise<TfStatus> {
  if (process.env.BENCH_NO_TFJS) return { ok: false, reason: "skipped (BENCH_NO_TFJS is set)" };
  const coreSpec = "@tensorflow/tfjs-core";
  const wasmSpec = "@tensorflow/tfjs-backend-wasm";
  let tf: any;
  let wasm: any;
  try {
    tf = await import(coreSpec);
    wasm = await import(wasmSpec);
  } catch (e) {
    return { ok: false, reason: `not installed (${firstLine(e)}); run npm install` };
  }
  try {
    const { createRequire } = await import("node:module");
    const { dirname, join } = await import("node:path");
    const require = createRequire(import.meta.url);
    // .../tfjs-backend-wasm/dist/tf-backend-wasm.node.js → its dist/ folder, with the trailing
    // separator Emscripten's prefix needs.
    const dist = join(dirname(require.resolve(wasmSpec)), "/");
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasm.setWasmPaths(dist);
    const ok: boolean = await tf.setBackend("wasm");
    await tf.ready();
    if (!ok || tf.getBackend() !== "wasm") return { ok: false, reason: `tf.setBackend("wasm") failed (backend: ${tf.getBackend()})` };
    const build = tf.env().getBool("WASM_HAS_SIMD_SUPPORT") ? "simd" : "plain";
    const peer: TfWasm = {
      tf,
      version: String(tf.version_core),
      build,
      tensor: (data, shape) => tf.tensor(data, [...shape], "float32"),
      run(fn) {
        const out = tf.tidy(fn);
        const data = out.dataSync();
        out.dispose();
        return data;
      },
    };
    const x = peer.tensor(new Float32Array([1, 2, 3]), [3]);
    const got = peer.run(() => tf.add(tf.mul(x, 2), 1));
    x.dispose();
    if (got[0] !== 3 || got[1] !== 5 || got[2] !== 7) return { ok: false, reason: `smoke test gave [${Array.from(got).join(", ")}]` };
    return { ok: true, tf: peer };
  } catch (e) {
    return { ok: false, reason: `does not run here: ${firstLine(e)}` };
  }
}

export function tfLabel(tf: TfWasm): string {
  return `tfjs-wasm ${tf.version} (1 thread, ${tf.build})`;
}

/**
 * The peers' contenders for one comparison: `jax` and `tf` build each library's call (inputs
 * prepared once, outside the timed call); a peer that does not run here becomes an
 * "unavailable" row that says why.
 */
export function peerContenders(ctx: { readonly jax: PeerStatus; readonly tf: TfStatus }, make: {
  readonly jax?: (jax: JaxJs) => () => ArrayLike<number>;
  readonly tf?: (tf: TfWasm) => () => ArrayLike<number>;
}): { contenders: { name: string; run: () => ArrayLike<number> }[]; unavailable: { baseline: string; reason: string }[] } {
  const contenders: { name: string; run: () => ArrayLike<number> }[] = [];
  const unavailable: { baseline: string; reason: string }[] = [];
  if (make.jax) {
    if (ctx.jax.ok) contenders.push({ name: jaxLabel(ctx.jax.jax), run: make.jax(ctx.jax.jax) });
    else unavailable.push({ baseline: "@jax-js/jax", reason: ctx.jax.reason });
  }
  if (make.tf) {
    if (ctx.tf.ok) contenders.push({ name: tfLabel(ctx.tf.tf), run: make.tf(ctx.tf.tf) });
    else unavailable.push({ baseline: "tfjs-wasm", reason: ctx.tf.reason });
  }
  return { contenders, unavailable };
}
