// Every primitive, by module. Importing this registers them all.
export * from "./elementwise.js";
export * from "./structural.js";
export * from "./reduce.js";
export * from "./dot.js";
export * from "./bitwise.js";
export * from "./indexing.js";
export * from "./sort.js";
export * from "./cumulative.js";
export * as control from "./control.js";
export { lookupPrimitive, definePrimitive, type Primitive, type PrimitiveKind } from "./primitive.js";
