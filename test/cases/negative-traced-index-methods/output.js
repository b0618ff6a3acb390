// Traced indices through the array methods are legal: x.slice(i) is a dynamic index, an
// int32 array a gather, x.at(i) a scatter, and lax.dynamicSlice takes traced starts.
import { jit, lax, np } from "tsjit";
export const row = /*#__PURE__*/ jit((x, i) => x.slice(i).add(x.at(i).get()), undefined, { params: ["x", "i"], site: "input.ts:5:20" });
export const sumRows = /*#__PURE__*/ jit((x) => lax.foriLoop(0, 3, (i, acc) => acc.add(x.slice(i)), np.zeros([4])), undefined, { params: ["x"], site: "input.ts:7:24" });
export const lookup = /*#__PURE__*/ jit((table, ids) => np.take(table, ids, { axis: 0 }).add(table.slice(ids, ":")), undefined, { params: ["table", "ids"], site: "input.ts:9:23" });
export const update = /*#__PURE__*/ jit((x, i, v) => x.at(i).add(v).at(":", 0).set(0), undefined, { params: ["x", "i", "v"], site: "input.ts:11:23" });
export const window = /*#__PURE__*/ jit((x, i) => lax.dynamicSlice(x, [i, 0], [2, 4]), undefined, { params: ["x", "i"], site: "input.ts:13:23" });
export const write = /*#__PURE__*/ jit((x, i) => lax.dynamicUpdateSlice(x, np.ones([1, 4]), [i, 0]), undefined, { params: ["x", "i"], site: "input.ts:15:22" });
