// tsjit/vite reports traced branches as build errors (and in the dev server's overlay) and
// prebuilds the simulation's kernels into the bundle: the page never traces on first call.
import tsjit from "tsjit/vite";

/** @type {import("vite").UserConfig} */
export default {
  plugins: [tsjit({ specialize: { notes: true } })],
  build: { target: "es2022" },
};
