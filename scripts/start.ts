/**
 * Production start: validate the configuration, apply migrations, then serve the build (server/main.ts).
 * Usage: npm start   (after `npm run build`; PORT and HOSTNAME as for Next.js)
 */
import { main } from "../server/main";

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
