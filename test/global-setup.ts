// Vitest global setup: several suites load the built package (dist/transform.cjs, dist/ls.cjs,
// dist/runtime, the packed tarball), so build it when it is missing or older than the
// sources, before the first run and before every watch-mode rerun.

import type { TestProject } from "vitest/node";
import { ensureDistFresh } from "./helpers/dist.js";

export default function setup(project: TestProject): void {
  ensureDistFresh();
  project.onTestsRerun(() => {
    ensureDistFresh();
  });
}
