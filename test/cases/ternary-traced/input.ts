import { jit, np } from "tsjit";

export const larger = jit((x: number, y: number) => (x > y ? np.asarray(x) : np.asarray(y)));
