// examples/web in a real browser: built by tsjit/vite, served over HTTP and opened in Debian's
// headless Chromium through playwright-core, once on the CPU backend and once on WebGPU
// (`--enable-unsafe-webgpu`: Chromium's SwiftShader WebGPU, no GPU needed). Each page must
// load, show its backend and per-frame time, and compute the numbers the runtime computes in
// Node; on the CPU backend every call is served by a kernel prebuilt into the bundle.
// Screenshots: test-results/web-example-{cpu,webgpu}.png. Runs when /usr/bin/chromium exists
// (scripts/setup-chromium.sh installs it); under CI it is required, and so is WebGPU in it
// (CI=true or TSJIT_REQUIRE_WEBGPU=1: no WebGPU fails; locally it skips with the reason).

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { copyExample } from "../transformer/fixture.js";
import { REPO } from "../transformer/harness.js";
import { diffuse, initialPlate } from "../../examples/web/src/heat.js";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const CI = !!process.env.CI && process.env.CI !== "false";
if (!available && CI) throw new Error(`${CHROMIUM} is missing: CI must run scripts/setup-chromium.sh first.`);
const REQUIRE_WEBGPU = CI || process.env.TSJIT_REQUIRE_WEBGPU === "1";

interface Demo {
  readonly error?: string;
  readonly backend: string;
  readonly webgpuUnavailable?: string;
  readonly frames: number;
  readonly frameMs: number;
  readonly total: number;
  readonly center: number;
  readonly diffuse: Record<string, number>;
  readonly addHeat: Record<string, number>;
}

/** The five frames the page draws, in Node (traced at run time, CPU): the reference. */
function reference(): { total: number; center: number } {
  let { u } = initialPlate();
  for (let i = 0; i < 5; i++) u = diffuse(u, 20);
  const values = u.dataSync();
  let total = 0;
  for (const v of values) total += v;
  return { total, center: values[16 * 64 + 16]! };
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0]!)).replace(/^(\.\.[/\\])+/, "");
    const file = join(root, path === "/" ? "index.html" : path);
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe.skipIf(!available)("examples/web in headless Chromium", { timeout: 180_000 }, () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    dir = copyExample("web", ["package.json", "tsconfig.json", "vite.config.js", "index.html", "src"]);
    await build({ root: dir, logLevel: "silent" });
    server = await serve(join(dir, "dist"));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // WebGPU on SwiftShader (CPU): no --disable-gpu, which would turn it off.
      args: ["--headless", "--no-sandbox", "--enable-unsafe-webgpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("bundles the prebuilt kernels", () => {
    const assets = join(dir, "dist/assets");
    const js = readdirSync(assets).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(assets, f), "utf8")).join("\n");
    // diffuse for steps=20 and addHeat (minified: the entries keep their `kernel` property).
    expect(js.match(/kernel:function\(\w+,\w+\)/g)?.length).toBeGreaterThanOrEqual(2);
  });

  /** Opens the page with `?backend=...`, waits for its fifth frame and takes a screenshot. */
  async function openDemo(backend: "cpu" | "webgpu"): Promise<{ demo: Demo; errors: string[]; shown: { backend: string; frame: string } }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    try {
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/?backend=${backend}`);
      await page.waitForFunction(() => "tsjitDemo" in globalThis, undefined, { timeout: 90_000 });
      const demo = (await page.evaluate(() => (globalThis as unknown as { tsjitDemo: unknown }).tsjitDemo)) as Demo;
      const shown = { backend: await page.locator("#backend").innerText(), frame: await page.locator("#frame").innerText() };
      mkdirSync(join(REPO, "test-results"), { recursive: true });
      await page.screenshot({ path: join(REPO, `test-results/web-example-${backend}.png`) });
      return { demo, errors, shown };
    } finally {
      await page.close();
    }
  }

  it("runs the simulation on the CPU backend from prebuilt kernels and computes the runtime's numbers", async () => {
    const { demo, errors, shown } = await openDemo("cpu");
    expect(errors).toEqual([]);
    expect(demo.error).toBeUndefined();
    expect(demo.backend).toBe("cpu");
    expect(shown.backend).toBe("cpu");
    expect(shown.frame).toMatch(/^\d+\.\d\d ms \(\d+ frames\)$/);
    // Every call, the first included, was served by a build-time kernel.
    expect(demo.diffuse).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 5 });
    expect(demo.addHeat).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 3 });
    const ref = reference();
    expect(demo.total).toBeCloseTo(ref.total, 3);
    expect(demo.center).toBeCloseTo(ref.center, 5);
  });

  it("runs the simulation on WebGPU (SwiftShader) and computes the runtime's numbers", async (ctx) => {
    const { demo, errors, shown } = await openDemo("webgpu");
    expect(errors).toEqual([]);
    expect(demo.error).toBeUndefined();
    if (demo.backend !== "webgpu") {
      const reason = `WebGPU is not available in ${CHROMIUM}: ${demo.webgpuUnavailable ?? `the page chose '${demo.backend}'`}`;
      if (REQUIRE_WEBGPU) throw new Error(`${reason} (required: CI / TSJIT_REQUIRE_WEBGPU=1)`);
      console.warn(`skipped: ${reason}`);
      ctx.skip(reason);
    }
    expect(shown.backend).toBe("webgpu");
    expect(shown.frame).toMatch(/^\d+\.\d\d ms \(\d+ frames\)$/);
    // The bundle's prebuilt kernels are CPU kernels (the runtime serves them on the CPU
    // backend only): on WebGPU each function is traced once, on its first call, and served
    // from the compiled cache after that.
    expect(demo.diffuse).toEqual({ traces: 1, compiles: 1, hits: 4, prebuiltHits: 0 });
    expect(demo.addHeat).toEqual({ traces: 1, compiles: 1, hits: 2, prebuiltHits: 0 });
    // Float32 on another device (GPU arithmetic, other summation order): close, not identical.
    const ref = reference();
    expect(Math.abs(demo.total - ref.total)).toBeLessThan(1e-3 * Math.abs(ref.total));
    expect(demo.center).toBeCloseTo(ref.center, 4);
  });
});
