/**
 * Production start: validate the configuration, apply migrations, then serve the build (server/main.ts).
 * `npm run build` bundles this file to .next/ask-ci-server.js (scripts/build-server.ts), which
 * `npm start` runs with plain node: no TypeScript loader stays in the server's memory.
 * Usage: npm start   (after `npm run build`; PORT, ASK_CI_LISTEN_ADDRESS)
 */
import "../server/production-env";
import { main } from "../server/main";

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
