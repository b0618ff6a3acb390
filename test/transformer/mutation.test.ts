// The transformer under mutated sources: the golden cases' and the examples' TypeScript,
// mutated by a seeded mutator (test/helpers/mutate.ts: token and line deletion, operator
// swaps, wrapped expressions, async/yield, renamed parameters, changed literal unions,
// truncation, unbalanced brackets, new jit sites with odd options), each compiled as tspc
// does (ts-patch, tsjit's built transformer, build-time specialization with notes, emit of
// every file) and through the editor plugin's code fixes, in a worker
// (test/helpers/mutant-compiler.mjs) that the test stops when a mutant takes too long.
// The contract: no exception escapes (an internal failure is a TS990000 warning), every file
// is emitted, valid TypeScript gives valid JavaScript, tsjit's diagnostics and fixes point
// into their file, and each mutant finishes within its budget.
//
//   TSJIT_FUZZ_MUTANTS=5000   more mutants (default 200)
//   TSJIT_FUZZ_SEED=7         another first seed (mutant i uses seed + i)
//   TSJIT_FUZZ_ONLY=1234      only the mutant of that seed (reproduce a failure)
//   TSJIT_FUZZ_BUDGET_MS=...  the per-mutant budget (default 20000: a loaded 2-core CI machine)
//   TSJIT_FUZZ_STRICT=1       also fail on TS990000 internal-error warnings (they are allowed,
//                             and listed, by default)

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { mutate } from "../helpers/mutate.js";
import { CASES, REPO, TRANSFORM, listCases } from "./harness.js";

const count = Number(process.env.TSJIT_FUZZ_MUTANTS ?? 200);
const firstSeed = Number(process.env.TSJIT_FUZZ_SEED ?? 1);
const only = process.env.TSJIT_FUZZ_ONLY === undefined ? undefined : Number(process.env.TSJIT_FUZZ_ONLY);
const budgetMs = Number(process.env.TSJIT_FUZZ_BUDGET_MS ?? 20_000);
const strict = process.env.TSJIT_FUZZ_STRICT === "1";
/** A build-time trace's budget: small, since mutants make loops that never end. */
const TRACE_TIMEOUT_MS = 1_000;

interface Project {
  readonly name: string;
  readonly dir: string;
  /** Absolute path -> source. The first file is the one usually mutated. */
  readonly files: Readonly<Record<string, string>>;
}

function project(name: string, dir: string, names: readonly string[]): Project {
  return { name, dir, files: Object.fromEntries(names.map((n) => [join(dir, n), readFileSync(join(dir, n), "utf8")])) };
}

/** The inputs: every golden case (with its other files) and every example's sources. */
function projects(): Project[] {
  const out: Project[] = [];
  for (const name of listCases()) {
    const dir = join(CASES, name);
    const others = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "input.ts").sort();
    out.push(project(`case ${name}`, dir, ["input.ts", ...others]));
  }
  const examples = join(REPO, "examples");
  out.push(project("example control-flow", examples, ["control-flow.ts"]));
  out.push(project("example conditional-double", examples, ["conditional-double.ts"]));
  for (const [name, sub] of [["branch-errors", "branch-errors/src"], ["branch-errors fixed", "branch-errors/fixed"], ["prebuilt", "prebuilt/src"], ["web", "web/src"]]) {
    const dir = join(examples, sub!);
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
    // The file with a jit site first: it is the one usually mutated.
    files.sort((a, b) => Number(/\bjit\(/.test(readFileSync(join(dir, b), "utf8"))) - Number(/\bjit\(/.test(readFileSync(join(dir, a), "utf8"))));
    out.push(project(`example ${name}`, dir, files));
  }
  return out;
}

interface Reply {
  readonly id: number;
  readonly ms: number;
  readonly problems: readonly string[];
  readonly internal: readonly string[];
  readonly summary: { tsjit?: number; syntaxErrors?: number; prebuilt?: number };
}

/** The compile worker, restarted after a mutant that ran out of time. */
class Compiler {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private pending: ((r: Reply) => void) | undefined;

  private start(): Promise<void> {
    const worker = new Worker(new URL("../helpers/mutant-compiler.mjs", import.meta.url), {
      workerData: { repo: REPO, transform: TRANSFORM, ls: join(REPO, "dist/ls.cjs"), traceTimeoutMs: TRACE_TIMEOUT_MS },
    });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.on("message", (m: Reply & { ready?: true }) => (m.ready ? resolve() : this.pending?.(m)));
      worker.on("error", reject);
    });
  }

  /** The reply, or undefined when `ms` passed first (the worker is then stopped). */
  async compile(id: number, dir: string, files: Record<string, string>, ms: number): Promise<Reply | undefined> {
    await (this.ready ??= this.start());
    let timer: NodeJS.Timeout | undefined;
    const reply = await new Promise<Reply | undefined>((resolve) => {
      this.pending = resolve;
      timer = setTimeout(() => resolve(undefined), ms);
      this.worker!.postMessage({ id, dir, files });
    });
    clearTimeout(timer);
    if (!reply) await this.stop();
    return reply;
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (w) await w.terminate();
  }
}

describe("the transformer under mutated sources", () => {
  const compiler = new Compiler();
  afterAll(() => compiler.stop());

  it(`survives ${only ?? count} mutants`, { timeout: 0 }, async () => {
    const inputs = projects();
    expect(inputs.length).toBeGreaterThanOrEqual(60);
    const seeds = only !== undefined ? [only] : Array.from({ length: count }, (_, i) => firstSeed + i);
    const failures: string[] = [];
    const internal: string[] = [];
    let slowest = { ms: 0, seed: 0 };
    let totals = { tsjit: 0, syntaxErrors: 0, prebuilt: 0, ms: 0 };
    for (const seed of seeds) {
      // The input and the file to mutate come from the seed too.
      const input = inputs[seed % inputs.length]!;
      const names = Object.keys(input.files);
      const target = names.length > 1 && (seed >> 3) % 4 === 0 ? names[1 + ((seed >> 5) % (names.length - 1))]! : names[0]!;
      const mutant = mutate(input.files[target]!, seed);
      const files = { ...input.files, [target]: mutant.text };
      const reply = await compiler.compile(seed, input.dir, files, budgetMs);
      const what = () => {
        const saved = join(tmpdir(), `tsjit-mutant-${seed}.ts`);
        writeFileSync(saved, mutant.text);
        return `mutant ${seed} of ${input.name} (${target.slice(input.dir.length + 1)}; saved as ${saved}; rerun with TSJIT_FUZZ_ONLY=${seed}):\n  ${mutant.steps.join("\n  ")}`;
      };
      if (!reply) {
        failures.push(`${what()}\n  did not finish within ${budgetMs} ms`);
        continue;
      }
      if (reply.problems.length) failures.push(`${what()}\n  ${reply.problems.join("\n  ")}`);
      if (reply.internal.length) internal.push(`${what()}\n  ${reply.internal.join("\n  ")}`);
      if (reply.ms > slowest.ms) slowest = { ms: reply.ms, seed };
      totals = {
        tsjit: totals.tsjit + (reply.summary.tsjit ?? 0),
        syntaxErrors: totals.syntaxErrors + (reply.summary.syntaxErrors ?? 0),
        prebuilt: totals.prebuilt + (reply.summary.prebuilt ?? 0),
        ms: totals.ms + reply.ms,
      };
    }
    console.log(
      `[mutation] ${seeds.length} mutants in ${(totals.ms / 1000).toFixed(1)} s of compiling (slowest: seed ${slowest.seed}, ${slowest.ms.toFixed(0)} ms); ` +
        `${totals.tsjit} tsjit diagnostics, ${totals.syntaxErrors} syntax errors, ${totals.prebuilt} sites prebuilt; ${internal.length} internal failures (TS990000)`,
    );
    if (internal.length) console.log(`[mutation] internal failures, reported as TS990000 (allowed; please look):\n${internal.join("\n")}`);
    expect(failures, failures.join("\n\n")).toEqual([]);
    if (strict) expect(internal, internal.join("\n\n")).toEqual([]);
  });
});
