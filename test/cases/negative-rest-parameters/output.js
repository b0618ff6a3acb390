// The rest array itself is a real JavaScript array: its length and iteration are static.
import { jit } from "tsjit";
export const sum = /*#__PURE__*/ jit((...xs) => {
    let acc = xs[0];
    for (let i = 1; i < xs.length; i++)
        acc = acc.add(xs[i]);
    for (const v of xs)
        acc = acc.add(v.mul(0));
    if (xs.length > 2)
        acc = acc.mul(2);
    return acc;
}, undefined, { site: "input.ts:4:20" });
