// A benchmark group: one file each, selected by id on the command line.

import type { PeerStatus } from "./peers.js";
import type { Row } from "./report.js";

export interface Context {
  /** @jax-js/jax, or why it is not compared. */
  readonly jax: PeerStatus;
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
