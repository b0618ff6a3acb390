import { jit, np } from "tsjit";

const J = jit;

export const f = J((x: number) => np.asarray(!x));
