// Timing: warm-up, calibrated batches, several interleaved samples, median and min.
//
// Candidates of one comparison run in the same process, round-robin (the order rotates
// every round), so machine noise and thermal drift hit all of them alike. Each sample
// times a batch of calls long enough for performance.now()'s resolution; the reported
// time per call is the median over samples (min alongside).

export interface Candidate {
  readonly name: string;
  /** One call of the work, including the readback that forces the result. */
  readonly run: () => unknown;
}

export interface TimingOptions {
  /** Calls before calibration (V8 tiers up and caches fill); also at least `warmupMs`. */
  readonly warmup?: number;
  readonly warmupMs?: number;
  /** A sample lasts at least this long (calls are batched to reach it). */
  readonly sampleMs?: number;
  readonly minSamples?: number;
  readonly maxSamples?: number;
  /** Stop taking samples (after minSamples) once the comparison has run this long. */
  readonly budgetMs?: number;
  /** Per candidate: how long a call made before (a correctness check) took, counted as warm-up. */
  readonly prior?: readonly (number | undefined)[];
}

export interface Timing {
  readonly name: string;
  /** Per-call times in ms, one per sample. */
  readonly samples: number[];
  readonly median: number;
  readonly min: number;
  /** Calls per sample. */
  readonly batch: number;
}

/** Keeps results alive so that V8 cannot drop the work that produced them. */
export let sink: unknown;
export function consume(v: unknown): void {
  sink = v;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timeBatch(run: () => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink = run();
  return performance.now() - t0;
}

/** Times every candidate, interleaved. Returns per-call times in milliseconds. */
export function compare(candidates: readonly Candidate[], options: TimingOptions = {}): Timing[] {
  const warmup = options.warmup ?? 3;
  const warmupMs = options.warmupMs ?? 100;
  const sampleMs = options.sampleMs ?? 20;
  const minSamples = options.minSamples ?? 5;
  const maxSamples = options.maxSamples ?? 15;
  const budgetMs = options.budgetMs ?? 5000;

  // Warm-up (V8 tiers up, caches fill), then calibrate the batch on the warm code:
  // grow it until one batch lasts sampleMs. A call slower than that is its own batch.
  const batches = candidates.map((c, k) => {
    const prior = options.prior?.[k];
    let calls = prior === undefined ? 0 : 1;
    let elapsed = prior ?? 0;
    let last = prior ?? 0;
    while ((calls < warmup || elapsed < warmupMs) && elapsed <= Math.max(warmupMs, 4 * sampleMs)) {
      last = timeBatch(c.run, 1);
      elapsed += last;
      calls++;
    }
    if (last >= sampleMs) return 1;
    let n = 1;
    let t = last;
    while (t < sampleMs && n < 1 << 24) {
      n *= t > 0 ? Math.min(16, Math.max(2, Math.ceil((1.2 * sampleMs) / t))) : 16;
      t = timeBatch(c.run, n);
    }
    return n;
  });

  const samples: number[][] = candidates.map(() => []);
  const start = performance.now();
  for (let round = 0; round < maxSamples; round++) {
    for (let j = 0; j < candidates.length; j++) {
      const k = (j + round) % candidates.length;
      samples[k]!.push(timeBatch(candidates[k]!.run, batches[k]!) / batches[k]!);
    }
    if (round + 1 >= minSamples && performance.now() - start > budgetMs) break;
  }
  return candidates.map((c, k) => ({
    name: c.name,
    samples: samples[k]!,
    median: median(samples[k]!),
    min: Math.min(...samples[k]!),
    batch: batches[k]!,
  }));
}
