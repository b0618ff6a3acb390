// The wasm backend against the cpu backend on the programs every backend runs
// (test/helpers/backend-cases.ts): every primitive with its edge values, reductions,
// matmul forms, views, lax control flow, indexing and random fused programs. (The float64
// reference checks of test/runtime run on wasm too: the harness's MODES include "wasm".)

import { describe, it } from "vitest";
import { backendCompare } from "../helpers/backend-compare.js";
import { controlCases, indexingCases, primitiveCases, randomProgramCases } from "../helpers/backend-cases.js";

const wasm = backendCompare("wasm");

describe("wasm vs cpu", { timeout: 120_000 }, () => {
  describe("primitives", () => {
    for (const c of primitiveCases) it(c.name, () => c.run(wasm));
  });
  describe("control flow", () => {
    for (const c of controlCases) it(c.name, () => c.run(wasm));
  });
  describe("indexing", () => {
    for (const c of indexingCases) it(c.name, () => c.run(wasm));
  });
  describe("random programs", () => {
    for (const c of randomProgramCases) it(c.name, () => c.run(wasm));
  });
});
