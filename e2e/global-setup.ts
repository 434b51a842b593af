import fs from "node:fs";
import path from "node:path";

/** Fails fast with a clear message when the production build is missing. */
export default function globalSetup() {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` before `npm run test:e2e` (npm test does both).");
  }
}
