// The `np` namespace: NumPy's API in camelCase, traceable inside `jit`.

import { installArrayOps } from "../array/ndarray.js";
import * as elementwise from "./elementwise.js";
import * as reductions from "./reductions.js";
import * as shapeOps from "./shape-ops.js";
import * as creation from "./creation.js";
import * as linalg from "./linalg.js";
import * as bitwise from "./bitwise.js";
import * as stats from "./stats.js";
import * as indexing from "./indexing.js";
import * as sorting from "./sorting.js";
import * as manipulation from "./manipulation.js";
import * as math from "./math.js";
import * as einsumOps from "./einsum.js";
import { linalg as linalgNs } from "./norm.js";

const { dynamicSlice: _ds, dynamicUpdateSlice: _dus, dynamicIndexInDim: _dii, IndexUpdateRef: _ref, indexUpdate, ...indexingApi } = indexing;

const { asBool: _asBool, ...elementwiseApi } = elementwise;
const { var_: _var, laxCumsum: _lcs, laxCumprod: _lcp, laxCummax: _lcM, laxCummin: _lcm, ...statsApi } = stats;
const { dotGeneral: _dotGeneral, dotOperands: _dotOperands, ...linalgApi } = linalg;
const { laxSort: _laxSort, topK: _topK, sortKeyVal: _sortKeyVal, ...sortingApi } = sorting;

export const np = Object.freeze({
  ...creation,
  ...elementwiseApi,
  ...reductions,
  ...shapeOps,
  ...linalgApi,
  ...bitwise,
  ...statsApi,
  ...indexingApi,
  ...sortingApi,
  ...manipulation,
  ...math,
  ...einsumOps,
  linalg: linalgNs,
  float32: "float32" as const,
  int32: "int32" as const,
  uint32: "uint32" as const,
  bool: "bool" as const,
  float16: "float16" as const,
  pi: Math.PI,
  e: Math.E,
  inf: Infinity,
  nan: NaN,
});

installArrayOps({ ...np, indexUpdate });
