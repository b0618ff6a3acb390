// Parameter names of a JS function from its source text, for validating staticArgnames
// when the build-time transformer did not record them. Handles defaults, rest
// parameters, comments and destructuring (named "<destructured>").

export interface ParamList {
  readonly names: readonly string[];
  readonly hasRest: boolean;
}

import { DESTRUCTURED } from "./destructured.js";

export { DESTRUCTURED };

function stripComments(src: string): string {
  let out = "";
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? src.length : end + 1;
      out += " ";
    } else if (c === "/" && src[i + 1] === "/") {
      const end = src.indexOf("\n", i + 2);
      i = end < 0 ? src.length : end - 1;
    } else if (c === '"' || c === "'" || c === "`") {
      const start = i;
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === "\\") i++;
      out += src.slice(start, i + 1);
    } else out += c;
  }
  return out;
}

/** Splits at top-level commas (outside brackets and strings). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function parseParams(fn: Function): ParamList {
  let src: string;
  try {
    src = stripComments(Function.prototype.toString.call(fn));
  } catch {
    return { names: [], hasRest: true };
  }
  // Bound and native functions show no parameters: accept any position (names cannot be checked).
  if (/\{\s*\[native code\]\s*\}\s*$/.test(src)) return { names: [], hasRest: true };
  let list: string;
  const arrow = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (arrow) list = arrow[1]!;
  else {
    const open = src.indexOf("(");
    if (open < 0) return { names: [], hasRest: true };
    let depth = 0, close = -1;
    for (let i = open; i < src.length; i++) {
      const c = src[i]!;
      if (c === '"' || c === "'" || c === "`") {
        for (i++; i < src.length && src[i] !== c; i++) if (src[i] === "\\") i++;
      } else if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") {
        depth--;
        if (depth === 0) { close = i; break; }
      }
    }
    if (close < 0) return { names: [], hasRest: true };
    list = src.slice(open + 1, close);
  }
  let hasRest = false;
  const names = splitTopLevel(list).map((p) => {
    let name = p.split("=")[0]!.trim();
    if (name.startsWith("...")) { hasRest = true; name = name.slice(3).trim(); }
    return /^[A-Za-z_$][\w$]*$/.test(name) ? name : DESTRUCTURED;
  });
  return { names, hasRest };
}
