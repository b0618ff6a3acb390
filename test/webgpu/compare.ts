// The webgpu tests compare with the cpu backend through the shared helper.
export { expectSame } from "../helpers/backend-compare.js";
