// `/** @jit */` annotations. tsc 6 skips JSDoc when it parses .ts files, so the JSDoc API
// sees nothing under tspc; the leading comment text is read directly instead.

import type * as TS from "typescript";
import type { TypeScript } from "./context.js";

export interface StaticTag {
  readonly name: string;
  /** Position of the name in the file, for diagnostics on unknown names. */
  readonly pos: number;
}

export interface JitAnnotation {
  readonly statics: readonly StaticTag[];
  /** The whole comment, for positions. */
  readonly commentPos: number;
  readonly commentEnd: number;
}

const JIT_TAG = /(?:^|[\s*])@jit(?=[\s*]|$)/;
const STATIC_TAG = /(?:^|[\s*])@static\s+([^@\n*]*)/g;
const NAME = /[A-Za-z_$][\w$]*/g;

/** Reads the `/** ... *\/` comments before `node` (a function or variable statement). */
export function readJitAnnotation(ts: TypeScript, node: TS.Node): JitAnnotation | undefined {
  const file = node.getSourceFile();
  const text = file.text;
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart());
  if (!ranges) return undefined;
  for (let i = ranges.length - 1; i >= 0; i--) {
    const range = ranges[i]!;
    if (range.kind !== ts.SyntaxKind.MultiLineCommentTrivia || text.charCodeAt(range.pos + 2) !== 42 /* "*" */) continue;
    const body = text.slice(range.pos + 3, range.end - 2);
    if (!JIT_TAG.test(body)) continue;
    const statics: StaticTag[] = [];
    for (const tag of body.matchAll(STATIC_TAG)) {
      const listStart = range.pos + 3 + tag.index! + tag[0].length - tag[1]!.length;
      for (const name of tag[1]!.matchAll(NAME)) statics.push({ name: name[0], pos: listStart + name.index! });
    }
    return { statics, commentPos: range.pos, commentEnd: range.end };
  }
  return undefined;
}
