// Transformations: autodiff (jvp, linearize + transpose for reverse mode) and vmap.
import "./rules/jvp.js";
import "./rules/transpose.js";
export { grad, valueAndGrad, vjp, jvp, jacfwd, jacrev, hessian, stopGradient, type GradOptions, type JacOptions, type VjpOptions } from "./api.js";
export { vmap, type VmapOptions, type AxisSpec } from "./vmap.js";
import "./rules/batch.js";
import "./rules/indexing.js";
import "./rules/sort.js";
import "./rules/cumulative.js";
