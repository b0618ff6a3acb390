// Runs the model under `node --disallow-code-generation-from-strings`: every call is
// served by a kernel the build prebuilt, so nothing is traced and no code is generated.
import { np } from "tsjit";
import { activate, dense } from "./model.js";

let codegenBlocked = false;
try {
  new Function("return 1");
} catch {
  codegenBlocked = true;
}

const x = np.linspace(-2, 2, 12).reshape(3, 4);
const layer = { w: np.linspace(-1, 1, 4 * 5).reshape(4, 5), b: np.zeros([5]) };

console.log("relu(x)   =", activate(x, "relu").toString());
console.log("gelu(x)   =", activate(x, "gelu").toString());
const probs = dense(activate(x, "gelu"), layer, false);
console.log("softmax   =", probs.toString());
console.log("row sums  =", probs.sum(-1).toString());
dense(np.ones([7, 4]), layer, true); // another batch size: the same prebuilt kernel

console.log(JSON.stringify({
  codegenBlocked,
  activate: activate.stats,
  dense: dense.stats,
}));
