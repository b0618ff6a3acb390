// Traced indices through the array methods are legal: x.slice(i) is a dynamic index, an
// int32 array a gather, x.at(i) a scatter, and lax.dynamicSlice takes traced starts.
import { jit, lax, np, type NDArray } from "tsjit";

export const row = jit((x: NDArray, i: NDArray) => x.slice(i).add(x.at(i).get()));

export const sumRows = jit((x: NDArray) => lax.foriLoop(0, 3, (i, acc: NDArray) => acc.add(x.slice(i)), np.zeros([4])));

export const lookup = jit((table: NDArray, ids: NDArray) => np.take(table, ids, { axis: 0 }).add(table.slice(ids, ":")));

export const update = jit((x: NDArray, i: NDArray, v: NDArray) => x.at(i).add(v).at(":", 0).set(0));

export const window = jit((x: NDArray, i: NDArray) => lax.dynamicSlice(x, [i, 0], [2, 4]));

export const write = jit((x: NDArray, i: NDArray) => lax.dynamicUpdateSlice(x, np.ones([1, 4]), [i, 0]));
