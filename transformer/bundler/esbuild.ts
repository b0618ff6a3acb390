// `tsjit/esbuild`: tsjit's bundler plugin for esbuild (see index.ts).
import { unplugin } from "./index.js";

export type { TsjitPluginOptions } from "./index.js";
export default unplugin.esbuild;
