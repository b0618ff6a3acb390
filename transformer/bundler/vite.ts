// `tsjit/vite`: tsjit's bundler plugin for vite (see index.ts).
import { unplugin } from "./index.js";

export type { TsjitPluginOptions } from "./index.js";
export default unplugin.vite;
