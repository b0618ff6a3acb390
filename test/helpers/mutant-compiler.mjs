// A worker thread that compiles one project (a mutated source and its neighbours) as `tspc`
// does: ts-patch's compiler with tsjit's built program transformer (build-time specialization
// on, with notes), syntactic and semantic diagnostics, then emit of every file; then the
// editor plugin (dist/ls.cjs) over the same program, asking for the code fixes of every tsjit
// diagnostic. Plain JavaScript so that it runs as a worker under vitest; it runs in a worker
// so that the test can stop a compile that hangs and name the mutant.
//
// Request: { id, dir, files: { [absolutePath]: text } }. Reply: { id, ms, problems: string[],
// internal: string[], summary } — `problems` are contract violations (an exception escaped,
// a file without output, a malformed tsjit diagnostic or fix); `internal` are TS990000 notes
// of internal failures (allowed: that is how a failure must appear, but worth a look).

import { createRequire } from "node:module";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";

const require = createRequire(import.meta.url);
/** @type {typeof import("typescript")} */
const ts = require("ts-patch/compiler");
const { repo, transform, ls, traceTimeoutMs } = workerData;
const lsPlugin = require(ls);

const INTERNAL = 990000;
const FIXABLE = [990001, 990002, 990005];
/** What marks a program as attached by the program transformer (transform/diagnostics.ts). */
const ATTACHED = Symbol.for("tsjit.programTransformer");

/** Library and runtime sources parse once for all mutants (never a project's own files). */
const shared = new Map();

function optionsFor(dir) {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    paths: { tsjit: [join(repo, "runtime/index.ts")] },
    plugins: [{ transform, transformProgram: true, specialize: { notes: true, traceTimeoutMs } }],
    configFilePath: join(dir, "tsconfig.json"),
    newLine: ts.NewLineKind.LineFeed,
  };
}

function createHost(options, dir, files) {
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const own = (name) => name.startsWith(dir + "/");
  host.fileExists = (name) => (own(name) ? Object.hasOwn(files, name) : fileExists(name));
  host.readFile = (name) => (own(name) ? files[name] : readFile(name));
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    if (own(name)) return Object.hasOwn(files, name) ? ts.createSourceFile(name, files[name], languageVersion, true) : undefined;
    let file = shared.get(name);
    if (!file) {
      file = getSourceFile(name, languageVersion, onError, shouldCreate);
      if (file) shared.set(name, file);
    }
    return file;
  };
  return host;
}

const describeError = (e) => (e instanceof Error ? `${e.name}: ${e.message}\n${(e.stack ?? "").split("\n").slice(1, 6).join("\n")}` : String(e));
const text = (d) => ts.flattenDiagnosticMessageText(d.messageText, "\n");
const isTsjit = (d) => d.source === "tsjit" || (d.code >= 990000 && d.code <= 990009);

/** A tsjit diagnostic must point into its file, with a message. */
function checkDiagnostic(d, problems) {
  const where = `TS${d.code} "${text(d).slice(0, 120)}"`;
  if (!text(d)) problems.push(`${where}: empty message`);
  if (!d.file) return;
  const n = d.file.text.length;
  if (!(Number.isInteger(d.start) && Number.isInteger(d.length) && d.start >= 0 && d.length >= 0 && d.start + d.length <= n)) {
    problems.push(`${where}: span ${d.start}+${d.length} outside ${d.file.fileName} (${n} chars)`);
  }
  for (const r of d.relatedInformation ?? []) {
    if (r.file && !(r.start >= 0 && r.start + (r.length ?? 0) <= r.file.text.length)) problems.push(`${where}: related span ${r.start} outside ${r.file.fileName}`);
  }
}

/**
 * The editor plugin (dist/ls.cjs) over this program, as under ts-patch's tsserver (the program
 * is attached: diagnostics pass through) and as under a plain tsserver (the same program seen
 * unattached: the plugin adds tsjit's diagnostics itself, which must be tspc's). The code
 * fixes of every fixable tsjit diagnostic must be edits inside the file that do not overlap.
 */
function editorPath(program, file, semantic, problems) {
  const unattached = new Proxy(program, { get: (target, key) => (key === ATTACHED ? undefined : Reflect.get(target, key)) });
  const key = (d) => `TS${d.code} at ${d.start}`;
  const expected = semantic.filter(isTsjit).map(key).sort();
  for (const [host, p] of [["ts-patch tsserver", program], ["tsserver", unattached]]) {
    // tsc's own diagnostics: with tsjit's for the attached program, without for a plain tsserver's.
    const plain = p === program ? semantic : semantic.filter((d) => !isTsjit(d));
    const languageService = {
      getProgram: () => p,
      getSemanticDiagnostics: () => plain,
      getCodeFixesAtPosition: () => [],
      getSupportedCodeFixes: () => [],
    };
    const info = { languageService, project: { projectService: { logger: { info: (m) => problems.push(`${host}: the editor plugin logged a failure: ${m}`) } } } };
    const service = lsPlugin({ typescript: ts }).create(info);
    const got = service.getSemanticDiagnostics(file.fileName).filter(isTsjit).map(key).sort();
    if (got.join() !== expected.join()) problems.push(`${host}: the editor shows [${got.join(", ")}], tspc [${expected.join(", ")}]`);
    for (const d of semantic) {
      if (!isTsjit(d) || !FIXABLE.includes(d.code)) continue;
      for (const fix of service.getCodeFixesAtPosition(file.fileName, d.start, d.start + d.length, [d.code], {}, {})) {
        for (const change of fix.changes) {
          const edits = [...change.textChanges].sort((a, b) => a.span.start - b.span.start);
          let end = 0;
          for (const e of edits) {
            if (e.span.start < end || e.span.start + e.span.length > file.text.length) problems.push(`${host}: fix "${fix.description}": edit ${e.span.start}+${e.span.length} overlaps another or is outside the file`);
            end = e.span.start + e.span.length;
          }
        }
      }
    }
  }
}

function parseErrors(fileName, js) {
  const file = ts.createSourceFile(fileName.replace(/\.ts$/, ".js"), js, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  return (file.parseDiagnostics ?? []).map((d) => `${text(d)} at ${d.start}: ${JSON.stringify(js.slice(Math.max(0, d.start - 60), d.start + 20))}`);
}

/** The JavaScript plain tsc emits for one file of the project. */
function emitWithoutTsjit(dir, files, fileName) {
  const options = { ...optionsFor(dir), plugins: [] };
  const program = ts.createProgram({ rootNames: Object.keys(files), options, host: createHost(options, dir, files) });
  let output = "";
  program.emit(program.getSourceFile(fileName), (name, data) => name.endsWith(".js") && (output = data));
  return output;
}

function compile({ dir, files }) {
  const problems = [];
  const internal = [];
  const summary = { tsjit: 0, syntaxErrors: 0, prebuilt: 0 };
  const guard = (what, f) => {
    try {
      return f();
    } catch (e) {
      problems.push(`${what} threw ${describeError(e)}`);
      return undefined;
    }
  };
  const options = optionsFor(dir);
  const rootNames = Object.keys(files);
  const program = guard("createProgram", () => ts.createProgram({ rootNames, options, host: createHost(options, dir, files) }));
  if (!program) return { problems, internal, summary };
  const diagnostics = [];
  guard("getOptionsDiagnostics", () => diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()));
  const roots = rootNames.map((name) => program.getSourceFile(name));
  const semanticOf = new Map();
  for (const file of roots) {
    const syntactic = guard("getSyntacticDiagnostics", () => program.getSyntacticDiagnostics(file)) ?? [];
    summary.syntaxErrors += syntactic.length;
    diagnostics.push(...syntactic);
    const semantic = guard("getSemanticDiagnostics", () => program.getSemanticDiagnostics(file)) ?? [];
    diagnostics.push(...semantic);
    semanticOf.set(file, semantic);
  }
  for (const file of roots) {
    let output;
    const emitted = guard("emit", () => program.emit(file, (name, data) => name.endsWith(".js") && (output = data)));
    if (!emitted) continue;
    diagnostics.push(...emitted.diagnostics);
    if (emitted.emitSkipped || output === undefined) {
      problems.push(`emit produced no JavaScript for ${file.fileName}`);
      continue;
    }
    summary.prebuilt += (output.match(/prebuilt: \[/g) ?? []).length;
    // Parsable TypeScript in, parsable JavaScript out: the site rewrite must not break the
    // syntax. (tsc itself emits unparsable JavaScript for some code it reports, such as
    // `yield` outside a generator: the same file without tsjit tells whose output it is.)
    if (!program.getSyntacticDiagnostics(file).length) {
      const errors = parseErrors(file.fileName, output);
      if (errors.length && !parseErrors(file.fileName, emitWithoutTsjit(dir, files, file.fileName)).length) {
        for (const e of errors) problems.push(`emitted JavaScript of ${file.fileName} does not parse (without tsjit it does): ${e}`);
      }
    }
  }
  const ours = diagnostics.filter(isTsjit);
  summary.tsjit = ours.length;
  for (const d of ours) {
    checkDiagnostic(d, problems);
    if (d.code === INTERNAL && /internal error/.test(text(d))) internal.push(text(d));
  }
  for (const file of roots) guard("editor plugin", () => editorPath(program, file, semanticOf.get(file) ?? [], problems));
  return { problems, internal, summary };
}

parentPort.on("message", (request) => {
  const start = performance.now();
  let reply;
  try {
    reply = compile(request);
  } catch (e) {
    reply = { problems: [`the compile harness threw ${describeError(e)}`], internal: [], summary: {} };
  }
  parentPort.postMessage({ id: request.id, ms: performance.now() - start, ...reply });
});
// Warm up before taking mutants (parse the libraries and the runtime, start the tracing
// worker), so that a restarted worker's first mutant is not charged for it.
const warmup = join(repo, "test/.mutant-warmup");
compile({ dir: warmup, files: { [join(warmup, "input.ts")]: 'import { jit, type NDArray } from "tsjit";\nexport const f = jit((x: NDArray<"float32", [2]>) => x.add(1));\n' } });
parentPort.postMessage({ ready: true });
