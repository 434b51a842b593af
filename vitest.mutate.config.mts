import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";

// The tests mutation testing runs (stryker.config.mjs): the core modules' own unit and server tests,
// without the slow integration, simulator and UI suites, so each mutant is judged in seconds.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ["lib/**/*.test.ts", "packages/billing/src/**/*.test.ts"],
    },
  }),
);
