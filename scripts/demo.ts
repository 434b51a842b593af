/**
 * `npm run demo`: build when needed, migrate the SQLite file, start the dashboard on embedded defaults.
 * Flags: --rebuild (build even when a build exists), --port N (dashboard, default 3000).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface DemoOptions {
  dataDir: string;
  port: number;
  clusterPort: number;
  build: boolean | "if-missing";
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const root = process.cwd();
  if (options.build === true || (options.build === "if-missing" && !fs.existsSync(path.join(root, ".next", "BUILD_ID")))) {
    console.log("ask-ci: building the dashboard (first run only; takes a few minutes)…");
    const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  fs.mkdirSync(options.dataDir, { recursive: true });

  const env: NodeJS.ProcessEnv = { ...process.env, ASK_CI_DATA_DIR: options.dataDir, PORT: String(options.port) };
  const child = spawn(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/start.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
    env,
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (chunk.toString().includes("Ready")) {
      console.log(`\nask-ci is running: http://localhost:${options.port}`);
      console.log(
        process.env.ADMIN_PASSWORD
          ? "Log in as admin with the password from ADMIN_PASSWORD."
          : "Log in as admin with the password printed above on first start (set ADMIN_PASSWORD to choose it).",
      );
    }
  });
  const stop = () => child.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code) => process.exit(code ?? 0));
}

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (require.main === module) {
  void runDemo({
    dataDir: process.env.ASK_CI_DATA_DIR ?? "data",
    port: Number(flag("--port") ?? process.env.PORT ?? 3000),
    clusterPort: Number(flag("--cluster-port") ?? 6443),
    build: process.argv.includes("--rebuild") ? true : "if-missing",
  });
}
