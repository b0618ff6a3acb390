// Error classes with JAX's names and wording, plus where in the user's code it happened
// and how to fix it. Every message is built from: what went wrong, the user's file:line,
// and a concrete fix.

/** Directory of the runtime's own files: stack frames inside it are not the user's. */
const RUNTIME_DIR = (() => {
  const here = urlToPath(import.meta.url);
  const at = here.lastIndexOf("/runtime/");
  // Bundled into one file (a browser build): no frame can be told apart by path.
  return at < 0 ? "\0" : here.slice(0, at + "/runtime/".length);
})();

// No `node:url` here: the runtime also runs in browsers.
function urlToPath(url: string): string {
  return url.startsWith("file://") ? decodeURIComponent(url.slice("file://".length)) : url;
}

const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;

/**
 * A stack deep enough to reach past the runtime's own frames: V8 keeps 10 frames by
 * default, and an error raised inside a primitive (or a nested static key) can sit more
 * than 10 runtime frames below the user's line.
 */
function captureStack(): string | undefined {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  if (typeof limit !== "number" || limit >= 100) return new Error().stack;
  try {
    E.stackTraceLimit = 100;
  } catch {
    return new Error().stack; // a frozen Error (SES lockdown): keep the default
  }
  try {
    return new Error().stack;
  } finally {
    E.stackTraceLimit = limit;
  }
}

/** First stack frame outside tsjit's runtime, as `path:line:col` (relative to cwd when possible). */
export function userLocation(stack: string | undefined = captureStack()): string | undefined {
  if (!stack) return undefined;
  const lines = stack.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const m = FRAME.exec(lines[i]!);
    if (!m) continue;
    let file = m[1]!;
    file = urlToPath(file);
    if (file.startsWith("node:") || file.includes("/node_modules/") || file.startsWith(RUNTIME_DIR)) continue;
    const cwd = typeof process !== "undefined" && process.cwd ? process.cwd() + "/" : "";
    if (cwd && file.startsWith(cwd)) file = file.slice(cwd.length);
    return `${file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

function compose(message: string, fix: string | undefined, location: string | undefined): string {
  let text = message;
  if (location) text += `\n  at ${location}`;
  if (fix) text += `\nFix: ${fix}`;
  return text;
}

/**
 * Base for every error tsjit raises on purpose. `location` is the user's file:line:col.
 * A TypeError, as JAX's errors are (ConcretizationTypeError, shape errors, ...).
 */
export class TsjitError extends TypeError {
  readonly location: string | undefined;
  readonly fix: string | undefined;
  constructor(message: string, fix?: string, location: string | undefined = userLocation()) {
    super(compose(message, fix, location));
    this.name = new.target.name;
    this.location = location;
    this.fix = fix;
  }
}

/** A traced value was needed as a concrete JS value (JAX: ConcretizationTypeError). */
export class ConcretizationTypeError extends TsjitError {}

/** A traced boolean was converted to a JS boolean (JAX: TracerBoolConversionError). */
export class TracerBoolConversionError extends ConcretizationTypeError {}

/** A traced value was used as an index/property key or string (JAX: TracerIntegerConversionError). */
export class TracerIntegerConversionError extends ConcretizationTypeError {}

/** A traced value was converted to a host array (JAX: TracerArrayConversionError). */
export class TracerArrayConversionError extends TsjitError {}

/** A tracer outlived the trace that made it (JAX: UnexpectedTracerError). */
export class UnexpectedTracerError extends TsjitError {}

/** A static argument has no structural key (JAX: NonHashableStaticArgError). */
export class NonHashableStaticArgError extends TsjitError {}

/** A jitted function recompiled past its limit with `onRecompileLimit: "error"`. */
export class RecompileError extends TsjitError {}

/** Shapes do not fit an operation (JAX raises TypeError; we keep a subclass for catching). */
export class ShapeError extends TsjitError {}

/** Dtypes do not fit an operation. */
export class DTypeError extends TsjitError {}

/** Memory for arrays could not be allocated (JAX/XLA: RESOURCE_EXHAUSTED). */
export class ResourceExhaustedError extends TsjitError {}

/** A differentiation the rules do not support (yet): named, with the primitive and mode. */
export class NotDifferentiableError extends TsjitError {}

/** Bad argument to a tsjit API (wrong kind of value, unknown option...). */
export class ArgumentError extends TsjitError {}
