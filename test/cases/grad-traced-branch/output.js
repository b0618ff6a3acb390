// grad makes its argnums arguments (default 0) tracers: a JavaScript branch on one is an error.
// The other arguments reach the function as they were passed, so reading them is fine.
import { grad, np } from "tsjit";
function loss(scale, x, threshold) {
    if (threshold > 0 && x.size > 1)
        x = np.maximum(x, threshold);
    if (scale > 1)
        return x.mul(scale).sum();
    return x.sum();
}
export const dloss = grad(loss);
// Through a helper: the diagnostic names the call chain back to the grad call.
function clamp(v) {
    return v < 0 ? 0 : v;
}
export const dclamp = grad((v) => clamp(v) * 1);
