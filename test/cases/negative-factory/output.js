// Factories that return or store the jitted function create it once per use: fine.
import { jit } from "tsjit";
export function makeScaler(s) {
    return /*#__PURE__*/ jit((x) => x.mul(s), undefined, { params: ["x"], site: "input.ts:5:10" });
}
export class Model {
    step = /*#__PURE__*/ jit((x) => x.tanh(), undefined, { params: ["x"], site: "input.ts:9:19" });
    cached;
    get run() {
        return (this.cached ??= /*#__PURE__*/ jit((x) => x.exp(), undefined, { params: ["x"], site: "input.ts:12:29" }));
    }
}
