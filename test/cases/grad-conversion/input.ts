// A differentiated number is a tracer: Math.* forces it to a JavaScript number.
import { np, valueAndGrad, type NDArray } from "tsjit";

export const step = valueAndGrad((w: NDArray, lr: number) => w.mul(Math.log(lr)).sum(), { argnums: [0, 1] });

export const shifted = valueAndGrad((w: NDArray, lr: number) => w.mul(Math.log(lr)).sum(), { argnums: 0 });

export const read = valueAndGrad((w: NDArray) => np.asarray(w.sum().item() * 2));
