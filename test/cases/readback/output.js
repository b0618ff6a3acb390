// Reading data back inside a trace: .item(), .data(), .dataSync(), .toString().
import { jit, np } from "tsjit";
export const normalize = /*#__PURE__*/ jit((x) => {
    const m = np.max(x).item();
    void x.data();
    const raw = x.dataSync();
    console.log(x.toString(), raw.length);
    return x.div(m);
}, undefined, { params: ["x"], site: "input.ts:4:26" });
