// The page: runs the simulation on WebGPU when tsjit has it and the browser offers it, else on
// the CPU backend, draws the plate on a canvas, and shows the backend and the time per frame.
// `window.tsjitDemo` exposes the numbers for the browser test (test/bundler/browser.test.ts).
import { getBackend, init, setBackend, type BackendName } from "tsjit";
import { addHeat, diffuse, initialPlate, SIZE, type Plate } from "./heat.js";

const STEPS_PER_FRAME = 20;
const canvas = document.querySelector<HTMLCanvasElement>("#plate")!;
const context = canvas.getContext("2d")!;
const image = context.createImageData(SIZE, SIZE);

/** Why the page runs on the CPU backend although WebGPU was wanted (shown, and read by the test). */
let webgpuUnavailable: string | undefined;

async function chooseBackend(): Promise<string> {
  if (new URLSearchParams(location.search).get("backend") === "cpu") return getBackend();
  if (!("gpu" in navigator)) {
    webgpuUnavailable = "this browser has no navigator.gpu (WebGPU needs a secure context and a browser that offers it)";
    return getBackend();
  }
  try {
    await init("webgpu" as BackendName);
    setBackend("webgpu" as BackendName);
  } catch (e) {
    webgpuUnavailable = `WebGPU could not start: ${(e as Error)?.message ?? String(e)}`;
    setBackend("cpu");
  }
  return getBackend();
}

/** A blue-white-red colour map over [0, 1]. */
function draw(values: Float32Array): void {
  const px = image.data;
  for (let i = 0; i < values.length; i++) {
    const t = Math.min(1, Math.max(0, values[i]!));
    px[4 * i] = 255 * Math.min(1, 2 * t);
    px[4 * i + 1] = 255 * (1 - Math.abs(2 * t - 1));
    px[4 * i + 2] = 255 * Math.min(1, 2 - 2 * t);
    px[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

async function main(): Promise<void> {
  const backend = await chooseBackend();
  document.querySelector("#backend")!.textContent = webgpuUnavailable ? `${backend} (${webgpuUnavailable})` : backend;
  let { u, rows, cols } = initialPlate();
  let frames = 0;
  let frameMs = 0;
  canvas.addEventListener("click", (e) => {
    const rect = canvas.getBoundingClientRect();
    u = addHeat(u, rows, cols, ((e.clientY - rect.top) / rect.height) * SIZE, ((e.clientX - rect.left) / rect.width) * SIZE);
  });
  const frame = async () => {
    const start = performance.now();
    u = diffuse(u, STEPS_PER_FRAME) as Plate;
    const values = (await u.data()) as Float32Array;
    frameMs = performance.now() - start;
    draw(values);
    frames++;
    document.querySelector("#frame")!.textContent = `${frameMs.toFixed(2)} ms (${frames} frames)`;
    document.querySelector("#stats")!.textContent = JSON.stringify(diffuse.stats);
    if (frames === 5) {
      let total = 0;
      for (const v of values) total += v;
      Object.assign(window, { tsjitDemo: { backend, webgpuUnavailable, frames, frameMs, total, center: values[16 * SIZE + 16], diffuse: { ...diffuse.stats }, addHeat: { ...addHeat.stats } } });
    }
    requestAnimationFrame(() => void frame());
  };
  await frame();
}

main().catch((e: unknown) => {
  document.body.insertAdjacentHTML("beforeend", `<pre id="error">${String((e as Error)?.stack ?? e)}</pre>`);
  Object.assign(window, { tsjitDemo: { error: String(e) } });
});
