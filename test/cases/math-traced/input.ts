// Math.* converts its arguments to numbers: use the np equivalent.
import { jit, np } from "tsjit";

export const softplus = jit((x: number) => np.asarray(Math.log(1 + Math.exp(x))));

export const clamp = jit((x: number) => np.asarray(Math.max(x, 0)));
