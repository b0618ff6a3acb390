import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    alias: { tsjit: fileURLToPath(new URL("./runtime/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/ when it is older than the sources (golden, CLI, tsserver and pack tests load it).
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
  },
});
