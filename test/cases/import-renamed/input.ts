import { jit as compile, np } from "tsjit";

export const f = compile((x: number) => (x > 0 ? np.asarray(x) : np.asarray(0)));
