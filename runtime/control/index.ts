// The `lax` namespace: structured control flow that compiles to real branches and loops.

import { cond, select, switchCase } from "./cond.js";
import { foriLoop, map, scan, whileLoop } from "./loops.js";
import { stopGradient } from "../transforms/api.js";
import { dynamicIndexInDim, dynamicSlice, dynamicUpdateSlice } from "../np/indexing.js";
import { laxSort, sortKeyVal, topK } from "../np/sorting.js";
import { erf, erfc } from "../np/elementwise.js";
import { erfinv } from "../random/index.js";
import { laxCummax, laxCummin, laxCumprod, laxCumsum } from "../np/stats.js";

export type { ScanOptions } from "./loops.js";

export const lax = Object.freeze({
  cond,
  switch: switchCase,
  select,
  whileLoop,
  foriLoop,
  scan,
  map,
  stopGradient,
  dynamicSlice,
  dynamicUpdateSlice,
  dynamicIndexInDim,
  sort: laxSort,
  sortKeyVal,
  topK,
  erf,
  erfc,
  /** Inverse error function (Giles' float32 polynomial, as XLA's ErfInv); ±inf at ±1. */
  erfInv: erfinv,
  /** Running sum/product/max/min along `axis` (default 0), from the end when `reverse` (JAX's lax.cumsum etc.). */
  cumsum: laxCumsum,
  cumprod: laxCumprod,
  cummax: laxCummax,
  cummin: laxCummin,
});
