import { jit, np } from "tsjit";

export const count = jit((n: number) => np.arange(n));
