// Symbolic dimensions, for kernels prebuilt at build time that must serve any size of a
// given rank (JAX's shape polymorphism, restricted to what array programs need).
//
// A symbolic dimension is a polynomial with integer coefficients over named size
// variables (`n`, `2*n`, `n*m`, `n + m - 1`). Every operation normalizes, and a result
// that is constant is returned as a plain number, so concrete shapes never pay for this.
//
// Deciding a comparison between sizes that depend on unknown variables is impossible in
// general: while tracing with symbols, shape rules that need two sizes equal *unify*
// them instead (recording `m = n`, or `n = 784`), and the resulting constraints become
// the run-time guard of the prebuilt kernel. Anything else that needs a concrete value
// (user code doing `x.shape[0] > 3`) throws InconclusiveDimensionError, and the build
// falls back to tracing at run time.

export class InconclusiveDimensionError extends Error {
  constructor(what: string) {
    super(`the size ${what} is symbolic here (a prebuilt kernel serves every size), so its concrete value is not known`);
    this.name = "InconclusiveDimensionError";
  }
}

/** Monomial key: sorted variable names joined by "*" ("" for the constant term). */
type Terms = ReadonlyMap<string, number>;

function monomialKey(vars: readonly string[]): string {
  return [...vars].sort().join("*");
}

function mulMonomials(a: string, b: string): string {
  if (a === "") return b;
  if (b === "") return a;
  return monomialKey([...a.split("*"), ...b.split("*")]);
}

export class SymDim {
  /** @internal use sym(), dimAdd, dimMul...; terms are normalized (no zero coefficients). */
  constructor(readonly terms: Terms) {}

  /** Variables appearing in this dimension. */
  get variables(): string[] {
    const vars = new Set<string>();
    for (const k of this.terms.keys()) if (k) for (const v of k.split("*")) vars.add(v);
    return [...vars].sort();
  }

  /** Canonical text: `2*n*m + n - 1`. */
  toString(): string {
    const degree = (k: string) => (k === "" ? 0 : k.split("*").length);
    const keys = [...this.terms.keys()].sort((a, b) => degree(b) - degree(a) || (a < b ? -1 : a > b ? 1 : 0));
    let text = "";
    for (const k of keys) {
      const c = this.terms.get(k)!;
      const mag = Math.abs(c);
      const body = k === "" ? String(mag) : mag === 1 ? k : `${mag}*${k}`;
      text += text === "" ? (c < 0 ? `-${body}` : body) : c < 0 ? ` - ${body}` : ` + ${body}`;
    }
    return text;
  }

  /** A JavaScript expression computing the size, given each variable's expression. */
  toJs(variable: (name: string) => string): string {
    const parts: string[] = [];
    for (const [k, c] of this.terms) {
      const factors = k === "" ? [] : k.split("*").map(variable);
      if (k === "" || c !== 1) factors.unshift(String(c));
      parts.push(factors.join(" * "));
    }
    return parts.length === 1 ? parts[0]! : `(${parts.join(" + ")})`;
  }

  evaluate(env: Readonly<Record<string, number>>): number {
    let total = 0;
    for (const [k, c] of this.terms) {
      let v = c;
      if (k) for (const name of k.split("*")) {
        const x = env[name];
        if (x === undefined) throw new Error(`internal: no value for size variable ${name}`);
        v *= x;
      }
      total += v;
    }
    return total;
  }

  /** Refuses to become a JS number: the value is not known while tracing symbolically. */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === "string") return this.toString();
    throw new InconclusiveDimensionError(`'${this.toString()}'`);
  }
}

export type Dim = number | SymDim;

function fromTerms(terms: Map<string, number>): Dim {
  for (const [k, c] of terms) if (c === 0) terms.delete(k);
  if (terms.size === 0) return 0;
  if (terms.size === 1 && terms.has("")) return terms.get("")!;
  return new SymDim(terms);
}

function termsOf(d: Dim): Terms {
  return typeof d === "number" ? new Map(d === 0 ? [] : [["", d]]) : d.terms;
}

/** The size variable `name`. */
export function sym(name: string): SymDim {
  if (!/^[A-Za-z_]\w*$/.test(name)) throw new Error(`invalid size variable name ${JSON.stringify(name)}`);
  return new SymDim(new Map([[name, 1]]));
}

export function dimAdd(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a + b;
  const out = new Map(termsOf(a));
  for (const [k, c] of termsOf(b)) out.set(k, (out.get(k) ?? 0) + c);
  return fromTerms(out);
}

export function dimSub(a: Dim, b: Dim): Dim {
  return dimAdd(a, dimMul(b, -1));
}

export function dimMul(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a * b;
  const out = new Map<string, number>();
  for (const [ka, ca] of termsOf(a)) {
    for (const [kb, cb] of termsOf(b)) {
      const k = mulMonomials(ka, kb);
      out.set(k, (out.get(k) ?? 0) + ca * cb);
    }
  }
  return fromTerms(out);
}

export function dimProduct(dims: readonly Dim[]): Dim {
  let p: Dim = 1;
  for (const d of dims) p = dimMul(p, d);
  return p;
}

/**
 * a / b when the division is exact for every value of the variables (b a nonzero
 * constant dividing every coefficient, or a monomial dividing every term); else null.
 */
export function dimDivExact(a: Dim, b: Dim): Dim | null {
  if (typeof a === "number" && typeof b === "number") return b !== 0 && a % b === 0 ? a / b : null;
  const tb = termsOf(b);
  if (tb.size !== 1) return dimEqual(a, b) ? 1 : null;
  const [[kb, cb]] = [...tb] as [[string, number]];
  const divisor = kb === "" ? [] : kb.split("*");
  const out = new Map<string, number>();
  for (const [k, c] of termsOf(a)) {
    if (c % cb !== 0) return null;
    const vars = k === "" ? [] : k.split("*");
    for (const v of divisor) {
      const at = vars.indexOf(v);
      if (at < 0) return null;
      vars.splice(at, 1);
    }
    out.set(monomialKey(vars), c / cb);
  }
  return fromTerms(out);
}

/** Structural equality of normalized polynomials (true only if equal for all values). */
export function dimEqual(a: Dim, b: Dim): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (typeof a === "number" || typeof b === "number") return false;
  if (a.terms.size !== b.terms.size) return false;
  for (const [k, c] of a.terms) if (b.terms.get(k) !== c) return false;
  return true;
}

/** Replaces variables by dimensions (used to apply unifications). */
export function dimSubstitute(d: Dim, subst: ReadonlyMap<string, Dim>): Dim {
  if (typeof d === "number" || subst.size === 0) return d;
  let total: Dim = 0;
  for (const [k, c] of d.terms) {
    let term: Dim = c;
    if (k) for (const v of k.split("*")) term = dimMul(term, subst.get(v) ?? sym(v));
    total = dimAdd(total, term);
  }
  return total;
}

/** The text of a dimension, for messages and aval strings. */
export function dimText(d: Dim): string {
  return typeof d === "number" ? String(d) : d.toString();
}

/** The concrete value of a dimension, or an InconclusiveDimensionError naming it. */
export function concreteDim(d: Dim, what = "dimension"): number {
  if (typeof d === "number") return d;
  throw new InconclusiveDimensionError(`${what} '${d.toString()}'`);
}

// --- unification while tracing symbolically ------------------------------------------

function singleVariable(d: Dim): string | undefined {
  if (typeof d === "number" || d.terms.size !== 1) return undefined;
  const [[k, c]] = [...d.terms] as [[string, number]];
  return c === 1 && k !== "" && !k.includes("*") ? k : undefined;
}

/**
 * The constraints gathered while tracing with symbolic sizes: each variable unified with
 * another dimension (`m = n`, `n = 784`). Shape rules consult it through `sameDim`.
 */
export class SymbolicContext {
  private readonly substitution = new Map<string, Dim>();

  /** `d` with every unified variable replaced (to a fixpoint). */
  resolve(d: Dim): Dim {
    if (typeof d === "number" || this.substitution.size === 0) return d;
    let current: Dim = d;
    for (let i = 0; i <= this.substitution.size; i++) {
      if (typeof current === "number" || !current.variables.some((v) => this.substitution.has(v))) return current;
      current = dimSubstitute(current, this.substitution);
    }
    return current;
  }

  /** Makes `a` and `b` equal if they can be (binding a free variable); false if they cannot. */
  unify(a: Dim, b: Dim): boolean {
    const ra = this.resolve(a), rb = this.resolve(b);
    if (dimEqual(ra, rb)) return true;
    for (const [v, other] of [[singleVariable(ra), rb], [singleVariable(rb), ra]] as const) {
      if (v !== undefined && (typeof other === "number" ? other >= 0 : !other.variables.includes(v))) {
        this.substitution.set(v, other);
        return true;
      }
    }
    return false;
  }

  get constraints(): ReadonlyMap<string, Dim> {
    return this.substitution;
  }
}

let active: SymbolicContext | undefined;

/** Runs `f` with symbolic shape rules unifying sizes in `ctx`. */
export function withSymbolicContext<T>(ctx: SymbolicContext, f: () => T): T {
  const saved = active;
  active = ctx;
  try {
    return f();
  } finally {
    active = saved;
  }
}

/** Whether two sizes are (or, while tracing symbolically, can be made) equal. */
export function sameDim(a: Dim, b: Dim): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  return active ? active.unify(a, b) : dimEqual(a, b);
}

/** Equal without unifying anything. */
export function knownEqual(a: Dim, b: Dim): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  return active ? dimEqual(active.resolve(a), active.resolve(b)) : dimEqual(a, b);
}

/** The current form of `d` under the active unifications. */
export function resolveDim(d: Dim): Dim {
  return active && typeof d !== "number" ? active.resolve(d) : d;
}

/** Whether the size is known to be 1 (a symbolic size is assumed not to be). */
export function isOne(d: Dim): boolean {
  return resolveDim(d) === 1;
}
