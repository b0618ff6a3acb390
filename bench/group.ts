// A benchmark group: one file each, selected by id on the command line.

import type { PeerStatus, TfStatus } from "./peers.js";
import type { Row } from "./report.js";

export interface Context {
  /** @jax-js/jax, or why it is not compared. */
  readonly jax: PeerStatus;
  /** tfjs-wasm (single thread), or why it is not compared. */
  readonly tf: TfStatus;
  /** undefined when tsjit's wasm backend runs here (it is then the "tsjit" contender), else why not. */
  readonly wasm: string | undefined;
  /** Progress lines (stderr), so a long run shows where it is. */
  log(message: string): void;
}

export interface Group {
  /** Short id matched by `npm run bench -- <filter>`. */
  readonly id: string;
  readonly title: string;
  run(ctx: Context): Promise<Row[]>;
}

export const JS = "hand-written JS";
