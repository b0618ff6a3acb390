// `/** @jit */` wraps the declaration in jit; `@static` names static parameters.
// The wrapper stays a hoisted function: calling it before the declaration works.
import { np } from "tsjit";
import * as tsjit_1 from "tsjit";
var power_jitted = /*#__PURE__*/ tsjit_1.jitDeclaration(power, power_jit, power_jitted);
export const early = () => power(np.ones([2]), 3);
/**
 * x to the n-th power by repeated multiplication (unrolled: n is static).
 * @jit
 * @static n
 */
export function power(x, n) {
    return power_jit()(...arguments);
}
function power_jit() {
    return power_jitted ??= tsjit_1.jit(function power(x, n) {
        let y = x;
        for (let i = 1; i < n; i++)
            y = y.mul(x);
        return y;
    }, { staticArgnames: ["n"] }, { params: ["x", "n"], site: "input.ts:12:1" });
}
