import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

// The tests mutation testing runs (stryker.config.mjs): the core modules' own unit and server tests,
// without the slow integration, simulator and UI suites, so each mutant is judged in seconds.
// MUTATE_ALL_TESTS=1 lets a narrow run (`--testFiles`) name tests outside lib/ too: the route handlers
// and server actions of tests/ are what judge lib/auth's guard, authorize and rate limit.
// Spread, not mergeConfig: mergeConfig concatenates `include` with the base's, i.e. every test.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: process.env.MUTATE_ALL_TESTS
      ? base.test?.include
      : ["lib/**/*.test.ts", "packages/billing/src/**/*.test.ts"],
  },
});
