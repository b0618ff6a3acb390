import * as t from "tsjit";
import { jit, np } from "tsjit";
// test/bundler/golden/src/main.ts
var relu = /*#__PURE__*/ jit((x, threshold) => np.where(np.greater(x, threshold), x, 0), { staticArgnames: ["threshold"] }, {
	params: ["x", "threshold"],
	site: "src/main.ts:5:21"
});
var double = /*#__PURE__*/ t.jit(function double(x) {
	return x.mul(2);
}, void 0, {
	params: ["x"],
	site: "src/main.ts:7:23"
});
/** @jit @static mode */
function activate(x, mode) {
	return (activate_jit ??= t.jit(function activate(x, mode) {
		return mode === "relu" ? np.maximum(x, 0) : np.tanh(x);
	}, { staticArgnames: ["mode"] }, {
		params: ["x", "mode"],
		site: "src/main.ts:12:1"
	}))(...arguments);
}
var activate_jit;
/** @jit */
var square = /*#__PURE__*/ t.jit((x) => x.mul(x), void 0, {
	params: ["x"],
	site: "src/main.ts:17:14"
});
function sum(...xs) {
	return /*#__PURE__*/ jit((...ys) => ys.reduce((a, b) => a.add(b)), void 0, { site: "src/main.ts:20:10" })(...xs);
}
export { activate, double, relu, square, sum };
