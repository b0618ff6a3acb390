// `tsjit/rollup`: tsjit's bundler plugin for rollup (see index.ts).
import { unplugin } from "./index.js";

export type { TsjitPluginOptions } from "./index.js";
export default unplugin.rollup;
