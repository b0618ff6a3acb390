// A seeded source mutator for the transformer fuzz test (test/transformer/mutation.test.ts):
// it takes a real TypeScript source and applies a few random edits, some that keep the syntax
// (swap an operator, wrap an expression, rename a parameter, change a literal union, add a
// jit site with odd options) and some that break it (delete or duplicate a token or a line,
// truncate, unbalance brackets). The same seed always gives the same mutant.

import { createRequire } from "node:module";
import type * as TS from "typescript";
import { Rng } from "./prng.js";

const ts: typeof TS = createRequire(import.meta.url)("typescript");

export interface Mutant {
  readonly text: string;
  /** What was done, in order (for the failure message and reproduction). */
  readonly steps: readonly string[];
}

interface Token {
  readonly kind: TS.SyntaxKind;
  readonly start: number;
  readonly end: number;
}

function tokensOf(text: string): Token[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const out: Token[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    out.push({ kind, start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
  }
  return out;
}

function nodesOf(text: string, keep: (n: TS.Node) => boolean): TS.Node[] {
  const file = ts.createSourceFile("m.ts", text, ts.ScriptTarget.Latest, true);
  const out: TS.Node[] = [];
  const visit = (n: TS.Node) => {
    if (keep(n)) out.push(n);
    n.forEachChild(visit);
  };
  visit(file);
  return out;
}

const splice = (text: string, start: number, end: number, insert: string) => text.slice(0, start) + insert + text.slice(end);
const show = (s: string) => JSON.stringify(s.length > 40 ? s.slice(0, 37) + "..." : s);

const SWAPS: Record<string, readonly string[]> = {
  ">": ["<", ">=", "==="],
  "<": [">", "<=", "!=="],
  ">=": ["<=", ">"],
  "<=": [">=", "<"],
  "&&": ["||", "??"],
  "||": ["&&", "??"],
  "??": ["||", "&&"],
  "+": ["*", "-", "&&"],
  "*": ["+", "/", "**"],
  "-": ["+", "%"],
  "/": ["*", "%"],
  "===": ["!==", "==", "="],
  "!==": ["===", "!="],
  "=": ["+=", "===", "??="],
  "?": ["?.", "!"],
  "!": ["!!", "-", "typeof "],
};

const EXPRESSION_WRAPS: readonly ((e: string) => string)[] = [
  (e) => `!(${e})`,
  (e) => `(${e} ? ${e} : ${e})`,
  (e) => `(${e} ? 1 : 0)`,
  (e) => `(${e} && ${e})`,
  (e) => `(${e} || undefined)`,
  (e) => `(await ${e})`,
  (e) => `(yield ${e})`,
  (e) => `Boolean(${e})`,
  (e) => `\`\${${e}}\``,
  (e) => `-${e}`,
  (e) => `(${e} as any)`,
  (e) => `(${e})!`,
  (e) => `[...${e}]`,
  (e) => `Number(${e})`,
];

const TYPES: readonly string[] = [
  `"a" | "b"`, `1 | 2 | 3`, `true`, `boolean`, `number`, `string`, `never`, `unknown`, `any`, `1n | 2n`, `null | undefined`,
  `NDArray`, `NDArray<"float32", [2, 3]>`, `NDArray<"int32", ["n"]>`, `NDArray | undefined`, `[NDArray, number]`,
  `{ a: NDArray; b: 1 | 2 }`, `Record<string, NDArray>`, `(x: number) => number`, `"relu" | 0 | false | null`, `-1 | 0.5`,
];

const OPTIONS: readonly string[] = [
  `{ staticArgnums: [99] }`, `{ staticArgnames: "x" }`, `{ specialize: [{ n: 2n }] }`, `{ staticArgnums: [-1] }`,
  `{ staticArgnums: [0, 0, 1.5, NaN] }`, `{ staticArgnames: ["n"], specialize: [{ n: 1 }, { n: "a" }, { m: 3 }] }`,
  `{ staticArgnames: ["n"], specialize: [{ n: 2n }, { n: null }, { n: undefined }] }`, `{ staticArgnames: ["n"], specialize: [null, 3, {}] }`,
  `{ staticArgnames: ["n"], specialize: {} }`, `{ staticArgnames: ["n"], specialize: [{ n: { a: [1, 2] } }] }`,
  `{ staticArgnames: ["n"], specialize: [{ n: Symbol() }] }`, `{ staticArgnames: ["n", "n", "zz"] }`, `{ "staticArgnames": ["n"] }`,
  `{ ["staticArgnames"]: ["n"] }`, `{ get staticArgnames() { return ["n"]; } }`, `{ staticArgnames: [] as string[] }`,
  `{ ...{ staticArgnums: [1] } }`, `undefined`, `null`, `42`, `{ staticArgnums: [1], maxCacheSize: NaN }`, `{ statikArgnums: [1] }`,
  `{ staticArgnums: [1] } as const`, `{ staticArgnames: ["n"] } satisfies object`, `{ staticArgnums: [2 ** 40] }`, `{ staticArgnums: [1n] }`,
];

const PARAMS: readonly string[] = [
  `x: NDArray, n: number`, `x: NDArray, n: 1 | 2`, `...args: NDArray[]`, `x: NDArray, ...rest: number[]`, `{ x, n }: { x: NDArray; n: number }`,
  `[x, n]: [NDArray, number]`, `x: NDArray, n = 3`, `this: unknown, x: NDArray, n: boolean`, ``, `x: NDArray<"float32", [2]>, n: "a" | "b"`,
  `x?: NDArray, n?: number`, `x: NDArray, { n = 1 }: { n?: number } = {}`,
];

const BODIES: readonly string[] = [
  `{ if (x) return x; return x; }`, `{ return n > 1 ? x : x; }`, `{ for (let i = 0; i < n; i++) x = x.add(1); return x; }`,
  `{ while (n) { n--; } return x; }`, `{ return arguments[0]; }`, `{ const [a] = args; if (a) {} return a; }`,
  `{ return x.add(n).mul(n); }`, `{ let k = 0; while (k < 3) { k = k * 1; } return x; }`, `{ switch (x) { case n: return x; } return x; }`,
  `{ return (yield x); }`, `{ return await x; }`, `{ return this; }`, `{ return x ?? n; }`, `{ throw new Error(String(n)); }`, ``,
];

/** A new jit site with odd options, parameters and body, using the file's `jit` or a fresh import. */
function jitSite(rng: Rng, hasJit: boolean): { code: string; imports: string } {
  const jit = hasJit && rng.bool(0.7) ? "jit" : "__t.jit";
  const imports = jit === "jit" ? "" : `import * as __t from "tsjit";\ntype NDArray = __t.NDArray;\n`;
  const params = rng.pick(PARAMS);
  const body = rng.pick(BODIES) || "{}";
  const head = rng.pick([`(${params}) =>`, `function (${params})`, `async (${params}) =>`, `function* (${params})`, `async function f(${params})`]);
  const fn = body.startsWith("{") && head.endsWith("=>") && rng.bool(0.3) ? `${head} x` : `${head} ${body}`;
  const options = rng.pick(OPTIONS);
  const call = rng.pick([
    () => `${jit}(${fn}, ${options})`,
    () => `${jit}(${fn})`,
    () => `${jit}(${fn}, ${options}, { params: ["x"] })`,
    () => `${jit}(...[${fn}])`,
    () => `${jit}()`,
    () => `${jit}(${jit}(${fn}), ${options})`,
    () => `${jit}<any>(${fn} as any, ${options})`,
  ])();
  const shape = rng.int(0, 3);
  const code =
    shape === 0 ? `\nexport const __m${rng.int(0, 99)} = ${call};\n`
    : shape === 1 ? `\n/** @jit @static ${rng.pick(["n", "x", "3", "", "n n"])} */\nfunction __f${rng.int(0, 99)}(${params}) ${body || "{}"}\n`
    : shape === 2 ? `\nfor (const __i of [1, 2]) ${call};\n`
    : `\nclass __C { m = ${call}; static { ${call}; } }\n`;
  return { code, imports };
}

type Mutation = (text: string, rng: Rng) => { text: string; step: string } | undefined;

const MUTATIONS: readonly [string, number, Mutation][] = [
  ["delete token", 3, (text, rng) => {
    const t = rng.pick(tokensOf(text));
    return t && { text: splice(text, t.start, t.end, ""), step: `delete token ${show(text.slice(t.start, t.end))} at ${t.start}` };
  }],
  ["duplicate token", 2, (text, rng) => {
    const t = rng.pick(tokensOf(text));
    return t && { text: splice(text, t.start, t.start, text.slice(t.start, t.end) + " "), step: `duplicate token ${show(text.slice(t.start, t.end))} at ${t.start}` };
  }],
  ["swap operator", 4, (text, rng) => {
    const ops = tokensOf(text).filter((t) => SWAPS[text.slice(t.start, t.end)]);
    const t = ops.length ? rng.pick(ops) : undefined;
    if (!t) return undefined;
    const op = text.slice(t.start, t.end);
    const to = rng.pick(SWAPS[op]!);
    return { text: splice(text, t.start, t.end, to), step: `swap ${op} -> ${to} at ${t.start}` };
  }],
  ["delete line", 2, (text, rng) => {
    const lines = text.split("\n");
    const i = rng.int(0, lines.length - 1);
    return { text: [...lines.slice(0, i), ...lines.slice(i + 1)].join("\n"), step: `delete line ${i + 1}` };
  }],
  ["duplicate line", 2, (text, rng) => {
    const lines = text.split("\n");
    const i = rng.int(0, lines.length - 1);
    return { text: [...lines.slice(0, i + 1), ...lines.slice(i)].join("\n"), step: `duplicate line ${i + 1}` };
  }],
  ["truncate", 1, (text, rng) => {
    const at = rng.int(0, text.length);
    return { text: text.slice(0, at), step: `truncate at ${at}` };
  }],
  ["unbalance brackets", 2, (text, rng) => {
    const brackets = tokensOf(text).filter((t) => "{}()[]".includes(text.slice(t.start, t.end)));
    if (brackets.length && rng.bool()) {
      const t = rng.pick(brackets);
      return { text: splice(text, t.start, t.end, ""), step: `delete ${text.slice(t.start, t.end)} at ${t.start}` };
    }
    const at = rng.int(0, text.length);
    const b = rng.pick(["{", "}", "(", ")", "[", "]", "<", "`", "/*", '"']);
    return { text: splice(text, at, at, b), step: `insert ${b} at ${at}` };
  }],
  ["wrap expression", 4, (text, rng) => {
    const exprs = nodesOf(text, (n) => ts.isExpression(n) && !ts.isLiteralExpression(n) && n.getWidth() > 0 && n.getWidth() < 200);
    if (!exprs.length) return undefined;
    const e = rng.pick(exprs);
    const src = e.getText();
    const wrapped = rng.pick(EXPRESSION_WRAPS)(src);
    return { text: splice(text, e.getStart(), e.getEnd(), wrapped), step: `wrap ${show(src)} as ${show(wrapped)}` };
  }],
  ["wrap statement in if", 2, (text, rng) => {
    const stmts = nodesOf(text, (n) => ts.isExpressionStatement(n) || ts.isReturnStatement(n));
    const conds = nodesOf(text, (n) => ts.isIdentifier(n)).map((n) => n.getText());
    if (!stmts.length || !conds.length) return undefined;
    const s = rng.pick(stmts);
    const c = rng.pick(conds);
    const wrapped = rng.bool() ? `if (${c}) { ${s.getText()} }` : `if (${c}) {} else ${s.getText()}`;
    return { text: splice(text, s.getStart(), s.getEnd(), wrapped), step: `wrap statement ${show(s.getText())} in if (${c})` };
  }],
  ["async or generator", 2, (text, rng) => {
    const fns = nodesOf(text, (n) => ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n));
    if (!fns.length) return undefined;
    const f = rng.pick(fns);
    const at = f.getStart();
    const kind = rng.pick(["async ", "*", "async *"]);
    if (kind.includes("*") && (ts.isFunctionExpression(f) || ts.isFunctionDeclaration(f))) {
      const kw = text.indexOf("function", at);
      if (kw >= 0) return { text: splice(text, kw + 8, kw + 8, "*"), step: `make the function at ${at} a generator` };
    }
    return { text: splice(text, at, at, "async "), step: `make the function at ${at} async` };
  }],
  ["insert await/yield", 1, (text, rng) => {
    const exprs = nodesOf(text, (n) => ts.isCallExpression(n) || ts.isIdentifier(n));
    if (!exprs.length) return undefined;
    const e = rng.pick(exprs);
    const kw = rng.pick(["await ", "yield ", "yield* ", "void ", "delete ", "new "]);
    return { text: splice(text, e.getStart(), e.getStart(), kw), step: `insert ${kw.trim()} before ${show(e.getText())}` };
  }],
  ["rename parameter", 3, (text, rng) => {
    const params = nodesOf(text, (n) => ts.isParameter(n) && ts.isIdentifier(n.name)) as TS.ParameterDeclaration[];
    if (!params.length) return undefined;
    const p = rng.pick(params);
    const name = p.name.getText();
    const to = rng.pick(["x", "n", "args", "this", "arguments", "constructor", "__proto__", `${name}2`, "mode", "$"]);
    return { text: splice(text, p.name.getStart(), p.name.getEnd(), to), step: `rename parameter ${name} -> ${to}` };
  }],
  ["change type", 3, (text, rng) => {
    const types = nodesOf(text, (n) => ts.isUnionTypeNode(n) || ts.isLiteralTypeNode(n) || ts.isTypeReferenceNode(n) || n.kind === ts.SyntaxKind.NumberKeyword || n.kind === ts.SyntaxKind.BooleanKeyword);
    if (!types.length) return undefined;
    const t = rng.pick(types);
    const to = rng.bool(0.3) ? `${t.getText()} | ${rng.pick(TYPES)}` : rng.pick(TYPES);
    return { text: splice(text, t.getStart(), t.getEnd(), to), step: `type ${show(t.getText())} -> ${show(to)}` };
  }],
  ["change literal", 2, (text, rng) => {
    const lits = nodesOf(text, (n) => ts.isNumericLiteral(n) || ts.isStringLiteral(n) || n.kind === ts.SyntaxKind.TrueKeyword || n.kind === ts.SyntaxKind.FalseKeyword);
    if (!lits.length) return undefined;
    const l = rng.pick(lits);
    const to = rng.pick(["0", "-1", "1e309", "NaN", "2n", "0.5", `"a"`, `""`, "true", "null", "undefined", "[]", "{}", "x"]);
    return { text: splice(text, l.getStart(), l.getEnd(), to), step: `literal ${show(l.getText())} -> ${to}` };
  }],
  ["insert directive", 1, (text, rng) => {
    const lines = text.split("\n");
    const i = rng.int(0, lines.length);
    const d = rng.pick(["// @ts-nocheck", "// @ts-expect-error", "// @ts-ignore", "// @tsjit-ignore", "/** @jit */", "/** @jit @static */", "// @ts-check"]);
    return { text: [...lines.slice(0, i), d, ...lines.slice(i)].join("\n"), step: `insert ${d} before line ${i + 1}` };
  }],
  ["jit an existing function", 2, (text, rng) => {
    const names = nodesOf(text, (n) => (ts.isFunctionDeclaration(n) || ts.isVariableDeclaration(n)) && !!n.name && ts.isIdentifier(n.name)).map((n) => (n as TS.FunctionDeclaration).name!.text);
    if (!names.length) return undefined;
    const name = rng.pick(names);
    const code = `\nexport const __j${rng.int(0, 99)} = ${/\bjit\b/.test(text) ? "jit" : "(await import(\"tsjit\")).jit"}(${name}, ${rng.pick(OPTIONS)});\n`;
    return { text: text + code, step: `append ${code.trim()}` };
  }],
  ["insert jit site", 4, (text, rng) => {
    const { code, imports } = jitSite(rng, /\bjit\b/.test(text));
    const stmts = nodesOf(text, (n) => !!n.parent && (ts.isSourceFile(n.parent) || ts.isBlock(n.parent)));
    const at = stmts.length && rng.bool(0.7) ? rng.pick(stmts).getEnd() : text.length;
    return { text: imports + splice(text, at, at, code), step: `insert at ${at}: ${code.trim()}` };
  }],
];

const TOTAL_WEIGHT = MUTATIONS.reduce((s, [, w]) => s + w, 0);

function pickMutation(rng: Rng): [string, Mutation] {
  let r = rng.next() * TOTAL_WEIGHT;
  for (const [name, w, m] of MUTATIONS) if ((r -= w) < 0) return [name, m];
  return [MUTATIONS[0]![0], MUTATIONS[0]![2]];
}

/** One to three mutations of `source`, all decided by `seed`. */
export function mutate(source: string, seed: number): Mutant {
  const rng = new Rng(seed);
  let text = source;
  const steps: string[] = [];
  const count = rng.pick([1, 1, 1, 2, 2, 3]);
  for (let tries = 0; steps.length < count && tries < 10; tries++) {
    const [name, m] = pickMutation(rng);
    const r = m(text, rng);
    if (r && r.text !== text) {
      text = r.text;
      steps.push(`${name}: ${r.step}`);
    }
  }
  return { text, steps };
}
