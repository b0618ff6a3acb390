// A differentiated number is a tracer: Math.* forces it to a JavaScript number.
import { np, valueAndGrad } from "tsjit";
export const step = valueAndGrad((w, lr) => w.mul(Math.log(lr)).sum(), { argnums: [0, 1] });
export const shifted = valueAndGrad((w, lr) => w.mul(Math.log(lr)).sum(), { argnums: 0 });
export const read = valueAndGrad((w) => np.asarray(w.sum().item() * 2));
