// Run in a fresh Node process by import.ts: the time from this script's start to a library
// being imported and ready to compute (its backend initialised). Imports nothing else up
// front, so nothing is loaded before the clock starts. Prints one line of JSON.
//
//   tsjit       import("tsjit") (the cpu backend needs no init)
//   tsjit-wasm  import("tsjit") + init("wasm")
//   jax         import("@jax-js/jax") + init("wasm")
//   tf          import tfjs-core + tfjs-backend-wasm, setBackend("wasm") (single thread)

export interface ImportTime {
  readonly ms: number;
  readonly error?: string;
}

async function main(): Promise<void> {
  const which = process.argv[2];
  const t0 = performance.now();
  let error: string | undefined;
  if (which === "tsjit") {
    await import("tsjit");
  } else if (which === "tsjit-wasm") {
    const spec = "tsjit";
    const m = await import(spec);
    await m.init("wasm");
  } else if (which === "jax" || which === "tf") {
    const peers = await import("./peers.js");
    const s = which === "jax" ? await peers.loadJaxJs() : await peers.loadTfWasm();
    if (!s.ok) error = s.reason;
  } else {
    throw new Error("usage: import-child.js tsjit|tsjit-wasm|jax|tf");
  }
  const result: ImportTime = { ms: performance.now() - t0, ...(error === undefined ? {} : { error }) };
  console.log(JSON.stringify(result));
}

await main();
