import type * as TS from "typescript";

/** The TypeScript API object, however it was imported (namespace or default import). */
export type TypeScriptApi = Omit<typeof TS, "default">;
