// The site rewrite of transform/rewrite.ts, as text edits on the module's own TypeScript
// source (magic-string), so that everything not inserted keeps its exact position and the
// source map is exact. Same output shape as the ts-patch host:
//   jit(fn, opts)   -> /*#__PURE__*/ jit(fn, opts, { params, site, prebuilt? })
//   /** @jit */ function f(x, n) {...}
//                   -> function f(x, n) { return (f_jit ??= tsjit.jit(function f(x: T, n: U) {...},
//                        opts, meta))(...arguments); } var f_jit;
//   /** @jit */ const f = (x) => ...  -> const f = /*#__PURE__*/ tsjit.jit((x) => ..., opts, meta)

import type * as TS from "typescript";
import MagicString from "magic-string";
import type { JitSite, TypeScript } from "../analysis/index.js";

type SiteOf<K extends JitSite["kind"]> = Extract<JitSite, { kind: K }>;

export interface RewriteResult {
  readonly code: string;
  readonly map: ReturnType<MagicString["generateMap"]>;
}

/** Rewrites the sites of `file` (whose text is the module source); undefined when there are none to rewrite. */
export function rewriteSites(
  ts: TypeScript,
  file: TS.SourceFile,
  sites: readonly JitSite[],
  prebuiltFor: (site: JitSite) => readonly { readonly code: string }[],
  sourceName: string,
  /**
   * Where a prebuilt entry's code lives instead of inline: a module specifier whose default
   * export is that entry (identical entries of any module share one module), or undefined to
   * inline it.
   */
  entryModule?: (code: string) => string,
): RewriteResult | undefined {
  if (sites.length === 0) return undefined;
  const text = file.text;
  const s = new MagicString(text);
  const used = new Set<string>();
  // The parser's table of every identifier in the file (what TypeScript's own unique names
  // check); a word search of the text where it is missing.
  const identifiers = (file as { identifiers?: ReadonlyMap<string, string> }).identifiers;
  const taken = (name: string) => used.has(name) || (identifiers ? identifiers.has(name) : new RegExp(`\\b${name}\\b`).test(text));
  const unique = (base: string) => {
    let name = base;
    for (let i = 1; taken(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
  let namespace: string | undefined;
  const ns = () => (namespace ??= unique("tsjit"));
  let changed = false;
  // Entry modules imported by this module: specifier -> local name.
  const entryImports = new Map<string, string>();
  const entryRef = (code: string): string => {
    if (!entryModule) return code;
    const from = entryModule(code);
    let name = entryImports.get(from);
    if (!name) entryImports.set(from, (name = unique("tsjit_prebuilt")));
    return name;
  };

  const meta = (site: JitSite): string => {
    const parts: string[] = [];
    if (site.params && !site.hasRest) parts.push(`params: [${site.params.map((p) => JSON.stringify(p)).join(", ")}]`);
    parts.push(`site: ${JSON.stringify(site.site)}`);
    const prebuilt = prebuiltFor(site);
    if (!prebuilt.length) return `{ ${parts.join(", ")} }`;
    parts.push(entryModule ? `prebuilt: [${prebuilt.map((p) => entryRef(p.code)).join(", ")}]` : `prebuilt: [\n${prebuilt.map((p) => p.code).join(",\n")}\n]`);
    return `{\n${parts.join(",\n")}\n}`;
  };

  const annotationOptions = (site: SiteOf<"function"> | SiteOf<"variable">): string => {
    const names = site.annotation.statics.map((st) => JSON.stringify(st.name));
    return names.length ? `{ staticArgnames: [${names.join(", ")}] }` : "undefined";
  };

  const rewriteCall = (site: SiteOf<"call">) => {
    const node = site.node;
    if (node.arguments.length >= 3 || node.arguments.some((a) => ts.isSpreadElement(a))) return;
    const [fn, options] = node.arguments;
    if (!fn) return;
    s.prependRight(node.getStart(file), "/*#__PURE__*/ ");
    s.appendLeft((options ?? fn).getEnd(), options ? `, ${meta(site)}` : `, undefined, ${meta(site)}`);
    changed = true;
  };

  const rewriteFunction = (site: SiteOf<"function">) => {
    const node = site.node;
    if (!node.body) return;
    // `export`/`default` stay on the wrapper; `async` (and the `*`) belong to the inner function.
    const inner = node.modifiers?.find((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword);
    const keyword = node.getChildren(file).find((c) => c.kind === ts.SyntaxKind.FunctionKeyword);
    const at = (inner ?? keyword)?.getStart(file);
    if (at === undefined) return;
    const name = node.name?.text;
    const cache = unique(`${name ?? "default"}_jit`);
    const params: string[] = [];
    for (const p of node.parameters) {
      if (ts.isIdentifier(p.name) && p.name.text === "this") continue;
      if (p.initializer || p.dotDotDotToken) break;
      params.push(ts.isIdentifier(p.name) ? p.name.text : unique("arg"));
    }
    s.prependRight(at, `function ${name ?? ""}(${params.join(", ")}) { return (${cache} ??= ${ns()}.jit(`);
    s.appendLeft(node.getEnd(), `, ${annotationOptions(site)}, ${meta(site)}))(...arguments); }\nvar ${cache};`);
    changed = true;
  };

  const rewriteVariable = (site: SiteOf<"variable">) => {
    const init = site.node.initializer;
    s.prependRight(init.getStart(file), `/*#__PURE__*/ ${ns()}.jit(`);
    s.appendLeft(init.getEnd(), `, ${annotationOptions(site)}, ${meta(site)})`);
    changed = true;
  };

  for (const site of sites) {
    if (site.node.getSourceFile() !== file) continue;
    if (site.kind === "call") rewriteCall(site);
    else if (site.kind === "function") rewriteFunction(site);
    else rewriteVariable(site);
  }
  if (!changed) return undefined;
  const imports = [...(namespace ? [`import * as ${namespace} from "tsjit";`] : []), ...[...entryImports].map(([from, name]) => `import ${name} from ${JSON.stringify(from)};`)];
  if (imports.length) {
    // After the file's imports (or its prologue, which must stay first).
    let at = 0;
    for (const st of file.statements) {
      if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st) || (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression) && at === st.pos)) at = st.getEnd();
    }
    s.appendLeft(at, `${at ? "\n" : ""}${imports.join("\n")}${at ? "" : "\n"}`);
  }
  return { code: s.toString(), map: s.generateMap({ hires: true, source: sourceName, includeContent: true }) };
}
