import { defineConfig } from "vitest/config";

// Run this package's tests alone: `npm test -w @ask-ci/<package>` (the root config runs them with the rest).
export default defineConfig({
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
