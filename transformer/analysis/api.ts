// The tsjit API as one program sees it: the symbols of `jit` and `NDArray`, and which
// declarations belong to the tsjit package. Found through the checker from the module the
// program resolves for the specifier "tsjit" (the package's name), so every way of reaching
// `jit` — renamed imports, namespace imports, re-exports through user modules — resolves to
// the same symbol; identifier text is never compared.

import type * as TS from "typescript";
import type { TypeScript } from "./context.js";

export interface TsjitApi {
  /** False when no file of the program imports "tsjit": nothing to analyze. */
  readonly found: boolean;
  isJitSymbol(symbol: TS.Symbol): boolean;
  /** The transformation (`grad`, `vmap`, ...) a symbol is, if it is one of tsjit's. */
  transformOf(symbol: TS.Symbol): TransformName | undefined;
  isNDArrayType(type: TS.Type): boolean;
  /** The declaration is part of the tsjit package (its runtime sources or typings). */
  isTsjitDeclaration(node: TS.Node): boolean;
  isTsjitFile(file: TS.SourceFile): boolean;
}

export const PACKAGE_NAME = "tsjit";

/** tsjit's function transformations: each calls the function it is given with tracers. */
export const TRANSFORM_NAMES = ["grad", "valueAndGrad", "vjp", "jvp", "jacfwd", "jacrev", "hessian", "vmap"] as const;
export type TransformName = (typeof TRANSFORM_NAMES)[number];
const isTransformName = (name: string): name is TransformName => (TRANSFORM_NAMES as readonly string[]).includes(name);

interface ModuleRoot {
  /** Directory holding the package's entry module (sources or .d.ts), with trailing "/". */
  readonly directory?: string;
  /** An ambient `declare module "tsjit"` block. */
  readonly ambient?: TS.ModuleDeclaration;
}

function moduleSpecifiers(ts: TypeScript, file: TS.SourceFile): TS.StringLiteral[] {
  const out: TS.StringLiteral[] = [];
  for (const statement of file.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      out.push(statement.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference) && ts.isStringLiteral(statement.moduleReference.expression)) {
      out.push(statement.moduleReference.expression);
    }
  }
  return out;
}

export function discoverTsjitApi(ts: TypeScript, program: TS.Program, checker: TS.TypeChecker): TsjitApi {
  const modules = new Set<TS.Symbol>();
  for (const file of program.getSourceFiles()) {
    // Cheap text test first: most files of a large program never mention the package.
    if (!file.text.includes(PACKAGE_NAME)) continue;
    for (const specifier of moduleSpecifiers(ts, file)) {
      if (specifier.text !== PACKAGE_NAME) continue;
      const moduleSymbol = checker.getSymbolAtLocation(specifier);
      if (moduleSymbol) modules.add(moduleSymbol);
    }
  }

  const jitSymbols = new Set<TS.Symbol>();
  const ndarraySymbols = new Set<TS.Symbol>();
  const transformSymbols = new Map<TS.Symbol, TransformName>();
  const roots: ModuleRoot[] = [];
  const resolve = (s: TS.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  for (const moduleSymbol of modules) {
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      if (exported.escapedName === "jit") jitSymbols.add(resolve(exported));
      else if (exported.escapedName === "NDArray") ndarraySymbols.add(resolve(exported));
      else if (isTransformName(exported.escapedName as string)) transformSymbols.set(resolve(exported), exported.escapedName as TransformName);
    }
    const declaration = moduleSymbol.valueDeclaration ?? moduleSymbol.declarations?.[0];
    if (!declaration) continue;
    if (ts.isSourceFile(declaration)) {
      const name = declaration.fileName;
      roots.push({ directory: name.slice(0, name.lastIndexOf("/") + 1) });
    } else if (ts.isModuleDeclaration(declaration)) {
      roots.push({ ambient: declaration });
    }
  }

  const isTsjitFile = (file: TS.SourceFile) => roots.some((r) => r.directory !== undefined && file.fileName.startsWith(r.directory));

  function isTsjitDeclaration(node: TS.Node): boolean {
    if (isTsjitFile(node.getSourceFile())) return true;
    for (const root of roots) {
      if (!root.ambient) continue;
      for (let n: TS.Node | undefined = node; n; n = n.parent) if (n === root.ambient) return true;
    }
    return false;
  }

  function isNDArrayType(type: TS.Type, depth = 0): boolean {
    const symbol = type.getSymbol();
    if (symbol && ndarraySymbols.has(symbol)) return true;
    // Subclasses of NDArray (the runtime's tracers and concrete arrays) count too.
    if (depth < 4 && symbol && symbol.flags & ts.SymbolFlags.Class && type.flags & ts.TypeFlags.Object) {
      const target = (type as TS.TypeReference).target ?? type;
      for (const base of checker.getBaseTypes(target as TS.InterfaceType)) if (isNDArrayType(base, depth + 1)) return true;
    }
    return false;
  }

  return {
    found: modules.size > 0,
    isJitSymbol: (symbol) => jitSymbols.has(symbol),
    transformOf: (symbol) => transformSymbols.get(symbol),
    isNDArrayType: (type) => isNDArrayType(type),
    isTsjitDeclaration,
    isTsjitFile,
  };
}
