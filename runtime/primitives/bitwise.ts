// Shift primitives (lax.shift_left / shift_right_logical / shift_right_arithmetic) over
// int32 and uint32. Semantics (XLA's): the count is read as unsigned; a count ≥ 32 gives 0,
// or the sign fill for the arithmetic shift of an int32. See scalar-ops.ts and webgpu/ops.ts.

import { isInteger } from "../dtype.js";
import { defineBinary } from "./elementwise.js";

const INTEGER = "an integer dtype (int32 or uint32)";

export const shiftLeft = defineBinary("shift_left", isInteger, INTEGER);
export const shiftRightLogical = defineBinary("shift_right_logical", isInteger, INTEGER);
export const shiftRightArithmetic = defineBinary("shift_right_arithmetic", isInteger, INTEGER);
