import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // "server-only" throws outside React Server Components; tests run server code directly.
      "server-only": path.resolve(import.meta.dirname, "tests/stubs/server-only.ts"),
    },
  },
  test: {
    environment: "node",
    include: [
      "lib/**/*.test.ts",
      "app/**/*.test.ts",
      "scripts/**/*.test.ts",
      "tests/**/*.test.ts",
      "components/**/*.test.ts",
      "components/**/*.test.tsx",
      "server/**/*.test.ts",
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
    ],
    exclude: ["node_modules", "e2e", ".next"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // What next.config.js's experimental.authInterrupts sets, so forbidden() works in tests as in the app.
    env: { __NEXT_EXPERIMENTAL_AUTH_INTERRUPTS: "true" },
  },
});
