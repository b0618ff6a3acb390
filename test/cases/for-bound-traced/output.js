// A loop bound on a traced parameter: `i < n` cannot be decided while tracing.
import { jit } from "tsjit";
export const power = /*#__PURE__*/ jit((x, n) => {
    let acc = x;
    for (let i = 1; i < n; i++)
        acc = acc.mul(x);
    return acc;
}, undefined, { params: ["x", "n"], site: "input.ts:4:22" });
