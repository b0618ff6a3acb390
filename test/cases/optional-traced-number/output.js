// `eps?: number` tested for truthiness: a traced number is always truthy under jit.
import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x, eps) => {
    if (eps)
        return x.add(eps);
    return x;
}, undefined, { params: ["x", "eps"], site: "input.ts:4:18" });
