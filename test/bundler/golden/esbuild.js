// test/bundler/golden/src/main.ts
import { jit, np } from "tsjit";
import * as t from "tsjit";
import * as tsjit_1 from "tsjit";
var relu = /* @__PURE__ */ jit((x, threshold) => np.where(np.greater(x, threshold), x, 0), { staticArgnames: ["threshold"] }, { params: ["x", "threshold"], site: "src/main.ts:5:21" });
var double = /* @__PURE__ */ t.jit(function double2(x) {
  return x.mul(2);
}, void 0, { params: ["x"], site: "src/main.ts:7:23" });
function activate(x, mode) {
  return (activate_jit ??= tsjit_1.jit(function activate2(x2, mode2) {
    return mode2 === "relu" ? np.maximum(x2, 0) : np.tanh(x2);
  }, { staticArgnames: ["mode"] }, { params: ["x", "mode"], site: "src/main.ts:12:1" }))(...arguments);
}
var activate_jit;
var square = /* @__PURE__ */ tsjit_1.jit((x) => x.mul(x), void 0, { params: ["x"], site: "src/main.ts:17:14" });
function sum(...xs) {
  return /* @__PURE__ */ jit((...ys) => ys.reduce((a, b) => a.add(b)), void 0, { site: "src/main.ts:20:10" })(...xs);
}
export {
  activate,
  double,
  relu,
  square,
  sum
};
