// examples/web in a real browser: built by tsjit/vite, served over HTTP and opened in Debian's
// headless Chromium through playwright-core. The page must load, run its kernels from the
// bundle (no tracing on the first call), and compute the same numbers as the runtime in Node.
// A screenshot is written to test-results/web-example.png. Runs when /usr/bin/chromium
// exists (scripts/setup-chromium.sh installs it); under CI it is required.

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
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must run scripts/setup-chromium.sh first.`);

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
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
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

  it("runs the simulation from prebuilt kernels and computes the runtime's numbers", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/?backend=cpu`);
    await page.waitForFunction(() => "tsjitDemo" in globalThis, undefined, { timeout: 60_000 });
    const demo = (await page.evaluate(() => (globalThis as unknown as { tsjitDemo: unknown }).tsjitDemo)) as Record<string, unknown>;
    mkdirSync(join(REPO, "test-results"), { recursive: true });
    await page.screenshot({ path: join(REPO, "test-results/web-example.png") });
    expect(errors).toEqual([]);
    expect(demo.error).toBeUndefined();
    expect(demo.backend).toBe("cpu");
    // Every call, the first included, was served by a build-time kernel.
    expect(demo.diffuse).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 5 });
    expect(demo.addHeat).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 3 });
    // The same five frames in Node, traced at run time.
    let { u } = initialPlate();
    for (let i = 0; i < 5; i++) u = diffuse(u, 20);
    const values = u.dataSync();
    let total = 0;
    for (const v of values) total += v;
    expect(demo.total as number).toBeCloseTo(total, 3);
    expect(demo.center as number).toBeCloseTo(values[16 * 64 + 16]!, 5);
  });
});
