// Correct programs under grad, vmap, jvp and jacobians: shapes are static, closures over
// module constants are static, and arguments left out of argnums or mapped with inAxes null
// are passed through untraced.
import { grad, hessian, jacrev, jvp, np, valueAndGrad, vmap } from "tsjit";
const SCALE = 3;
function loss(w, x, steps, mode) {
    if (w.shape[0] !== x.shape[0] || w.ndim !== 1)
        throw new Error(`loss: w has shape ${w.shape}, x has ${x.shape}`);
    let acc = w.mul(x);
    for (let i = 0; i < steps; i++)
        acc = acc.mul(SCALE);
    const total = mode === "sum" ? acc.sum() : acc.mean();
    return x.size > 4 ? total.mul(2) : total;
}
export const dloss = grad(loss);
export const both = valueAndGrad(loss, { argnums: [0, 1] });
export const perExample = vmap((x, w, steps) => loss(w, x, steps, "sum"), { inAxes: [0, null, null] });
export const perExampleGrad = vmap(grad(loss), { inAxes: [null, 0, null, null] });
export const curvature = hessian((w) => np.where(np.greater(w, 0), w.mul(w), w).sum());
export const jac = jacrev((w) => (w.ndim === 1 ? w.mul(SCALE) : w.reshape(-1)));
export function tangent(x, t) {
    return jvp((v) => np.tanh(v.shape.length > 1 ? v.reshape(-1) : v), [x], [t]);
}
