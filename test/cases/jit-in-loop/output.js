// Creating the jitted function per iteration: every call retraces.
import { jit, np } from "tsjit";
for (const s of [1, 2, 3]) {
    const scaled = /*#__PURE__*/ jit((x) => x.mul(s), undefined, { params: ["x"], site: "input.ts:5:18" });
    console.log(scaled(np.ones([2])).toString());
}
let i = 0;
while (i < 3) {
    /*#__PURE__*/ jit((x) => x.add(1), undefined, { params: ["x"], site: "input.ts:11:3" })(np.ones([2]));
    i++;
}
