/** The container image's entry point (bundled to ask-ci-server.js by scripts/build-server.ts). */
import "./production-env";
import { main } from "./main";

void main(__dirname).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
