// Array callbacks get the traced elements, but the index beside them is a plain number:
// branching on it is static. So are the keys of entries().
import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((...xs) => {
    const scaled = xs.map((x, i) => (i === 0 ? x : x.mul(i)));
    let acc = scaled.reduce((a, x, i) => (i > 1 ? a.add(x) : a.sub(x)));
    for (const [i, x] of xs.entries())
        if (i % 2 === 0)
            acc = acc.add(x);
    xs.forEach((x, i, all) => {
        if (i < all.length - 1)
            acc = acc.mul(x);
    });
    return acc;
}, undefined, { site: "input.ts:5:18" });
export const g = /*#__PURE__*/ jit((...xs) => xs.map((x) => (x.sum().gt(0) ? x : x.neg())), undefined, { site: "input.ts:15:18" });
