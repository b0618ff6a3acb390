// The jitted function is defined in another file.
import { jit } from "tsjit";
import { model } from "./model.js";

export const train = jit(model, { staticArgnames: ["training"] });
