import { jit } from "tsjit";
const history = [];
const seen = new Map();
export const f = /*#__PURE__*/ jit((x) => {
    history.push(x);
    seen.set("x", x.sum());
    return x.neg();
}, undefined, { params: ["x"], site: "input.ts:6:18" });
export const count = () => history.length + seen.size;
