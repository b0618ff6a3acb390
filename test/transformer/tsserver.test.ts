// End to end in the editor: spawn tsserver on a project that registers { "name": "tsjit/ls" },
// open a file and read `semanticDiagnosticsSync`. Also with ts-patch's tsserver, where the
// program transformer already adds the diagnostics: the plugin must not report them twice.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKEN_SOURCE, PLUGIN_LS, PLUGIN_TRANSFORM, TSSERVER, createFixture, type Fixture } from "./fixture.js";

const require = createRequire(import.meta.url);
const PATCHED_TSSERVER = join(dirname(require.resolve("ts-patch/package.json")), "compiler/tsserver.js");

interface ServerDiagnostic {
  readonly start: { line: number; offset: number };
  readonly text: string;
  readonly code: number;
  readonly category: string;
}

/** A minimal tsserver client: JSON requests on stdin, Content-Length framed JSON on stdout. */
class TsServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private seq = 0;
  private readonly waiting = new Map<number, (body: unknown) => void>();

  constructor(script: string, probeDir: string) {
    this.child = spawn(process.execPath, [script, "--disableAutomaticTypingAcquisition", "--pluginProbeLocations", probeDir, "--locale", "en"], { stdio: "pipe" });
    this.child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
  }

  private receive(chunk: Buffer) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const header = this.buffer.indexOf("\r\n\r\n");
      if (header < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, header).toString())?.[1]);
      if (this.buffer.length < header + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(header + 4, header + 4 + length).toString());
      this.buffer = this.buffer.subarray(header + 4 + length);
      if (message.type === "response") this.waiting.get(message.request_seq)?.(message.body);
    }
  }

  request<T>(command: string, args: object): Promise<T> {
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tsserver: no response to ${command}`)), 60_000);
      this.waiting.set(seq, (body) => {
        clearTimeout(timer);
        resolve(body as T);
      });
      this.child.stdin.write(JSON.stringify({ seq, type: "request", command, arguments: args }) + "\n");
    });
  }

  notify(command: string, args: object) {
    this.child.stdin.write(JSON.stringify({ seq: ++this.seq, type: "request", command, arguments: args }) + "\n");
  }

  close() {
    this.child.kill();
  }
}

async function diagnosticsOf(script: string, fixture: Fixture): Promise<ServerDiagnostic[]> {
  const server = new TsServer(script, fixture.dir);
  try {
    const file = join(fixture.dir, "src/main.ts");
    server.notify("open", { file, projectRootPath: fixture.dir });
    return await server.request<ServerDiagnostic[]>("semanticDiagnosticsSync", { file });
  } finally {
    server.close();
  }
}

describe("tsserver with the tsjit/ls plugin", { timeout: 120_000 }, () => {
  let withPlugin: Fixture;
  let withBoth: Fixture;
  let withTransform: Fixture;
  beforeAll(() => {
    withPlugin = createFixture({ "src/main.ts": BROKEN_SOURCE }, [PLUGIN_LS]);
    withBoth = createFixture({ "src/main.ts": BROKEN_SOURCE }, [PLUGIN_TRANSFORM, PLUGIN_LS]);
    withTransform = createFixture({ "src/main.ts": BROKEN_SOURCE }, [PLUGIN_TRANSFORM]);
  });
  afterAll(() => {
    withPlugin?.cleanup();
    withBoth?.cleanup();
    withTransform?.cleanup();
  });

  it("reports nothing of tsjit's without the plugin (plain tsserver ignores transforms)", async () => {
    const diagnostics = await diagnosticsOf(TSSERVER, withTransform);
    expect(diagnostics.filter((d) => d.code >= 990000 && d.code < 990010)).toHaveLength(0);
  });

  it("ts-patch's tsserver reports through the program transformer alone", async () => {
    const diagnostics = await diagnosticsOf(PATCHED_TSSERVER, withTransform);
    expect(diagnostics.filter((d) => d.code === 990001)).toHaveLength(1);
  });

  it("reports TS990001 in semanticDiagnosticsSync", async () => {
    const diagnostics = await diagnosticsOf(TSSERVER, withPlugin);
    const ours = diagnostics.filter((d) => d.code === 990001);
    expect(ours).toHaveLength(1);
    expect(ours[0]!.start).toEqual({ line: 4, offset: 7 });
    expect(ours[0]!.category).toBe("error");
    expect(ours[0]!.text).toContain("Traced value 'x' used as an 'if' condition");
  });

  it("does not report twice under ts-patch's tsserver (the transformer already did)", async () => {
    const diagnostics = await diagnosticsOf(PATCHED_TSSERVER, withBoth);
    expect(diagnostics.filter((d) => d.code === 990001)).toHaveLength(1);
  });
});
