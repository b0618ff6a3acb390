// End to end in the editor: spawn tsserver on a project that registers { "name": "tsjit/ls" },
// open a file and read `semanticDiagnosticsSync`, and `getCodeFixes` applied to the text. Also
// with ts-patch's tsserver, where the program transformer already adds the diagnostics: the
// plugin must not report them twice (and still offers the fixes).

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

// ---- code fixes

interface Location {
  readonly line: number;
  readonly offset: number;
}

interface ServerCodeEdit {
  readonly start: Location;
  readonly end: Location;
  readonly newText: string;
}

interface ServerCodeFix {
  readonly fixName: string;
  readonly description: string;
  readonly changes: readonly { readonly fileName: string; readonly textChanges: readonly ServerCodeEdit[] }[];
}

function positionOf(text: string, { line, offset }: Location): number {
  let pos = 0;
  for (let l = 1; l < line; l++) pos = text.indexOf("\n", pos) + 1;
  return pos + offset - 1;
}

/** The text after a fix's edits (tsserver's 1-based line/offset), applied back to front. */
function applyFix(text: string, fix: ServerCodeFix): string {
  const edits = fix.changes.flatMap((c) => c.textChanges).map((e) => ({ start: positionOf(text, e.start), end: positionOf(text, e.end), newText: e.newText }));
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  return text;
}

const FIXES_SOURCE = `import { jit, np } from "tsjit";

export const larger = jit((x: number, y: number) => (x > y ? np.asarray(x) : np.asarray(y)));

let calls = 0;
function tick(v: number) { calls++; return np.asarray(v); }
export const impure = jit((x: number, y: number) => (x > 0 ? tick(x) : np.asarray(y)), { maxCacheSize: 4 });

function f(x: number, threshold: number) {
  return np.multiply(x, threshold);
}
export const misspelled = jit(f, { staticArgnames: ["treshold"] });
`;

const ARRAY_SOURCE = `import { jit, type NDArray } from "tsjit";

export const relu = jit((x: NDArray) => (x.gt(0) ? x : x.mul(0)));

export function eager(v: NDArray): number {
  if (v.sum().gt(0)) return 1;
  return 0;
}
`;

class Session {
  private constructor(private readonly server: TsServer, readonly fixture: Fixture) {}

  static open(script: string, fixture: Fixture, files: readonly string[]): Session {
    const server = new TsServer(script, fixture.dir);
    for (const file of files) server.notify("open", { file: join(fixture.dir, file), projectRootPath: fixture.dir });
    return new Session(server, fixture);
  }

  diagnostics(file: string): Promise<ServerDiagnostic[]> {
    return this.server.request<ServerDiagnostic[]>("semanticDiagnosticsSync", { file: join(this.fixture.dir, file) });
  }

  async fixes(file: string, code: number): Promise<{ at: ServerDiagnostic; fixes: ServerCodeFix[] }[]> {
    const diagnostics = (await this.diagnostics(file)).filter((d) => d.code === code);
    return Promise.all(diagnostics.map(async (at) => {
      const fixes = await this.server.request<ServerCodeFix[]>("getCodeFixes", {
        file: join(this.fixture.dir, file), startLine: at.start.line, startOffset: at.start.offset, endLine: at.start.line, endOffset: at.start.offset, errorCodes: [code],
      });
      return { at, fixes };
    }));
  }

  /** Applies a fix in tsserver's copy of the file (as an editor does), returns the new text. */
  apply(file: string, before: string, fix: ServerCodeFix): string {
    const textChanges = fix.changes.flatMap((c) => c.textChanges);
    this.server.notify("updateOpen", { changedFiles: [{ fileName: join(this.fixture.dir, file), textChanges }] });
    return applyFix(before, fix);
  }

  supported(file: string): Promise<string[]> {
    return this.server.request<string[]>("getSupportedCodeFixes", { file: join(this.fixture.dir, file), projectFileName: join(this.fixture.dir, "tsconfig.json") });
  }

  close() {
    this.server.close();
  }
}

describe("tsjit/ls code fixes through tsserver", { timeout: 120_000 }, () => {
  let fixture: Fixture;
  let patched: Fixture;
  beforeAll(() => {
    const files = { "src/main.ts": BROKEN_SOURCE, "src/fixes.ts": FIXES_SOURCE, "src/arrays.ts": ARRAY_SOURCE };
    fixture = createFixture(files, [PLUGIN_LS]);
    patched = createFixture(files, [PLUGIN_TRANSFORM, PLUGIN_LS]);
  });
  afterAll(() => {
    fixture?.cleanup();
    patched?.cleanup();
  });

  it("marks a parameter static: extends staticArgnames, or creates the options", async () => {
    const session = Session.open(TSSERVER, fixture, ["src/main.ts", "src/fixes.ts"]);
    try {
      const [main] = await session.fixes("src/main.ts", 990001);
      const mark = main!.fixes.find((f) => f.fixName === "tsjitMarkStatic")!;
      expect(mark.description).toBe("Mark 'x' static (staticArgnames)");
      const fixedMain = session.apply("src/main.ts", BROKEN_SOURCE, mark);
      expect(fixedMain).toContain(`jit(conditionalDouble, { staticArgnames: ["threshold", "x"] })`);
      expect((await session.diagnostics("src/main.ts")).filter((d) => d.code >= 990000)).toEqual([]);

      const [larger] = await session.fixes("src/fixes.ts", 990001);
      const create = larger!.fixes.find((f) => f.fixName === "tsjitMarkStatic")!;
      expect(applyFix(FIXES_SOURCE, create)).toContain(`jit((x: number, y: number) => (x > y ? np.asarray(x) : np.asarray(y)), { staticArgnames: ["x", "y"] });`);
    } finally {
      session.close();
    }
  });

  it("rewrites a traced ?: as np.where (a comparison becomes its np function), only without side effects", async () => {
    const session = Session.open(TSSERVER, fixture, ["src/fixes.ts"]);
    try {
      const [larger, impure] = await session.fixes("src/fixes.ts", 990001);
      expect(larger!.at.start.line).toBe(3);
      const where = larger!.fixes.find((f) => f.fixName === "tsjitWhere")!;
      expect(where.description).toBe("Rewrite as np.where(cond, a, b)");
      const fixed = session.apply("src/fixes.ts", FIXES_SOURCE, where);
      expect(fixed).toContain("jit((x: number, y: number) => (np.where(np.greater(x, y), np.asarray(x), np.asarray(y))));");
      // `tick(x)` has a side effect (np.where would run it for both branches): no rewrite.
      expect(impure!.at.start.line).toBe(7);
      expect(impure!.fixes.map((f) => f.fixName)).toEqual(["tsjitMarkStatic"]);
      // The rewritten site no longer has a traced condition.
      const after = (await session.diagnostics("src/fixes.ts")).filter((d) => d.code === 990001);
      expect(after.map((d) => d.start.line)).toEqual([7]);
    } finally {
      session.close();
    }
  });

  it("np.where on arrays: imports np where the file lacks it; no static fix for an NDArray", async () => {
    const session = Session.open(TSSERVER, fixture, ["src/arrays.ts"]);
    try {
      const [relu] = await session.fixes("src/arrays.ts", 990001);
      expect(relu!.fixes.map((f) => f.fixName)).toEqual(["tsjitWhere"]);
      const fixed = session.apply("src/arrays.ts", ARRAY_SOURCE, relu!.fixes[0]!);
      expect(fixed).toContain(`import { jit, type NDArray, np } from "tsjit";`);
      expect(fixed).toContain("jit((x: NDArray) => (np.where(x.gt(0), x, x.mul(0))));");
      const after = await session.diagnostics("src/arrays.ts");
      expect(after.filter((d) => d.code < 990000)).toEqual([]);
      // TS990007 (always-truthy array outside jit) is reported by the plugin.
      expect(after.map((d) => [d.code, d.start.line])).toEqual([[990007, 6]]);
    } finally {
      session.close();
    }
  });

  it("replaces a misspelled static name with the close match; lists tsjit's codes as fixable", async () => {
    const session = Session.open(TSSERVER, fixture, ["src/fixes.ts"]);
    try {
      const [misspelled] = await session.fixes("src/fixes.ts", 990005);
      expect(misspelled!.fixes.map((f) => f.description)).toEqual(["Change 'treshold' to 'threshold'"]);
      expect(applyFix(FIXES_SOURCE, misspelled!.fixes[0]!)).toContain(`jit(f, { staticArgnames: ["threshold"] })`);
      expect(await session.supported("src/fixes.ts")).toEqual(expect.arrayContaining(["990001", "990002", "990005", "2304"]));
    } finally {
      session.close();
    }
  });

  it("offers the fixes under ts-patch's tsserver too (diagnostics from the transformer)", async () => {
    const session = Session.open(PATCHED_TSSERVER, patched, ["src/main.ts"]);
    try {
      const found = await session.fixes("src/main.ts", 990001);
      expect(found).toHaveLength(1);
      expect(found[0]!.fixes.map((f) => f.fixName)).toEqual(["tsjitMarkStatic"]);
    } finally {
      session.close();
    }
  });
});
