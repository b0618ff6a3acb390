export { jit as compile } from "tsjit";
