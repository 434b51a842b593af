/**
 * The dashboard server's own memory, apart from the monitor's data (not part of `npm test`):
 * `npm run bench -- server-memory`. Needs a production build (`npm run build`).
 *
 * Starts the demo cluster (its small simulated workload) and the server as `npm start` runs it,
 * signs in with headless Chromium and opens each main page once. After each step it prints the
 * server's RSS and V8 heap after a full GC (through the server's inspector), how many modules are
 * loaded, and the compiled code's size; at the end the source loaded per package (the inspector's
 * parsed scripts) and the process's resident memory by mapping (/proc/<pid>/smaps).
 *
 * BENCH_HEAP_SNAPSHOT=1 also takes a heap snapshot at the end and prints its largest groups by
 * self size (as DevTools' "Summary" view groups them).
 * BENCH_SERVER=tsx runs `node --import tsx scripts/start.ts` instead (how `npm start` ran before
 * it ran the build's plain JavaScript), to compare; BENCH_SERVER=image lays out the container image's
 * /app (scripts/docker/assemble.ts, after `ASK_CI_STANDALONE=1 npm run build`) and runs its
 * `node ask-ci-server.js` there; BENCH_NODE_FLAGS adds Node flags (space-separated)
 * to the server's command line. BENCH_PORT (3218), BENCH_SETTLE_SECONDS (30:
 * the idle wait before the last reading), BENCH_APP_DIR (another checkout's build).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "@playwright/test";
import { assemble } from "../docker/assemble";
import { inspectorProtocol, type Protocol } from "./lib/cpu-profile";
import { machineLoad, stopChildren } from "./lib/processes";

const PORT = Number(process.env.BENCH_PORT ?? 3218);
const APP_DIR = path.resolve(process.env.BENCH_APP_DIR ?? process.cwd());
const SERVER =
  process.env.BENCH_SERVER === "tsx" || process.env.BENCH_SERVER === "image" ? process.env.BENCH_SERVER : "build";
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 30);
const PASSWORD = "bench-admin-password";
const PAGES = [
  "/",
  "/monitor",
  "/clusters",
  "/setup",
  "/pipelines",
  "/gitlab",
  "/cost",
  "/cost/cluster",
  "/cost/budgets",
  "/settings",
  "/settings/users",
  "/settings/audit",
  "/settings/sessions",
];

const MiB = 2 ** 20;

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Resident kB by mapping name, largest first: the heap's anonymous pages apart from the binary, native modules, files. */
function smaps(pid: number): Array<[string, number]> {
  const byName = new Map<string, number>();
  let name = "";
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) name = header[1] || "[anonymous]";
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) byName.set(name, (byName.get(name) ?? 0) + Number(rss[1]));
  }
  return [...byName].sort((a, b) => b[1] - a[1]);
}

/** What the server says about itself, evaluated in its main context through the inspector. */
const SELF_REPORT = `(() => {
  const v8 = require("node:v8");
  const m = process.memoryUsage();
  const code = v8.getHeapCodeStatistics();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
  return JSON.stringify({
    heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers,
    code: code.code_and_metadata_size + code.bytecode_and_metadata_size,
    cjsModules: Object.keys(require.cache).length,
    spaces,
  });
})()`;

interface SelfReport {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  code: number;
  cjsModules: number;
  spaces: Record<string, number>;
}

async function selfReport(server: Protocol): Promise<SelfReport> {
  const { result } = (await server.send("Runtime.evaluate", {
    expression: SELF_REPORT,
    includeCommandLineAPI: true,
    returnByValue: true,
  })) as { result: { value?: string; description?: string } };
  if (typeof result.value !== "string") throw new Error(`self report: ${result.description}`);
  return JSON.parse(result.value) as SelfReport;
}

/** Groups a script URL by what loaded it: a package, the build's chunks, Node's own. */
function owner(url: string): string {
  const file = url.replace(/^file:\/\//, "");
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1];
  if (file.includes("/.next/server/")) return ".next/server (the app's route bundles)";
  if (file.endsWith("/ask-ci-server.js")) return "ask-ci-server.js (server/main.ts bundled)";
  if (file.startsWith("node:") || !file.startsWith("/")) return "(node internals, eval)";
  return path.relative(APP_DIR, file).split(path.sep).slice(0, 2).join("/");
}

async function loadedSource(url: string): Promise<Array<[string, number]>> {
  // A second inspector session: scriptParsed events arrive on Debugger.enable for every script already loaded.
  const { default: WebSocket } = await import("ws");
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * MiB });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const bytes = new Map<string, number>();
  let quietSince = Date.now();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { method?: string; params?: { url: string; length: number } };
    if (message.method === "Debugger.scriptParsed" && message.params) {
      const key = owner(message.params.url);
      bytes.set(key, (bytes.get(key) ?? 0) + message.params.length);
      quietSince = Date.now();
    }
  });
  socket.send(JSON.stringify({ id: 1, method: "Debugger.enable", params: {} }));
  while (Date.now() - quietSince < 1500) await new Promise((r) => setTimeout(r, 250));
  socket.send(JSON.stringify({ id: 2, method: "Debugger.disable", params: {} }));
  socket.close();
  return [...bytes].sort((a, b) => b[1] - a[1]);
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size by DevTools' summary groups: objects by constructor, the rest by node type. */
async function heapSnapshotSummary(url: string): Promise<Array<[string, number, number]>> {
  const { default: WebSocket } = await import("ws");
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * MiB });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const chunks: string[] = [];
  const done = new Promise<void>((resolve) =>
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { id?: number; method?: string; params?: { chunk: string } };
      if (message.method === "HeapProfiler.addHeapSnapshotChunk") chunks.push(message.params!.chunk);
      if (message.id === 1) resolve();
    }),
  );
  socket.send(JSON.stringify({ id: 1, method: "HeapProfiler.takeHeapSnapshot", params: { reportProgress: false } }));
  await done;
  socket.close();
  const snapshot = JSON.parse(chunks.join("")) as HeapSnapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const groups = new Map<string, [number, number]>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]];
    const group =
      type === "object" || type === "native"
        ? snapshot.strings[snapshot.nodes[i + nameAt]]
        : type === "hidden" || type === "object shape"
          ? `(${type}) ${snapshot.strings[snapshot.nodes[i + nameAt]].slice(0, 40)}`
          : `(${type})`;
    const entry = groups.get(group) ?? [0, 0];
    entry[0] += snapshot.nodes[i + sizeAt];
    entry[1] += 1;
    groups.set(group, entry);
  }
  return [...groups]
    .map(([g, [size, count]]) => [g, size, count] as [string, number, number])
    .sort((a, b) => b[1] - a[1]);
}

async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  console.log(`start: ${machineLoad()}; server: ${SERVER}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-bench-server-memory-"));
  const children: ChildProcess[] = [];
  try {
    const kubeconfigFile = path.join(dir, "kubeconfig");
    const tsx = path.join(APP_DIR, "node_modules", "tsx", "dist", "cli.mjs");
    const clusterArgs = ["--port", "0", "--kubeconfig", kubeconfigFile, "--state", path.join(dir, "cluster")];
    children.push(
      spawn(process.execPath, [tsx, "packages/demo-cluster/src/cli.ts", ...clusterArgs], {
        cwd: APP_DIR,
        stdio: ["ignore", "ignore", "inherit"],
      }),
    );
    await waitFor("the demo cluster", () => fs.existsSync(kubeconfigFile));
    await new Promise((r) => setTimeout(r, 500));

    const image = path.join(dir, "image");
    if (SERVER === "image") assemble(image, APP_DIR);
    const entry = {
      tsx: ["--import", "tsx", "scripts/start.ts"],
      image: ["ask-ci-server.js"],
      build: [".next/ask-ci-server.js"],
    }[SERVER];
    if (process.env.BENCH_NODE_FLAGS) entry.unshift(...process.env.BENCH_NODE_FLAGS.split(" "));
    const app = spawn(process.execPath, ["--inspect=127.0.0.1:0", ...entry], {
      cwd: SERVER === "image" ? image : APP_DIR,
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env,
        PORT: String(PORT),
        ASK_CI_LISTEN_ADDRESS: "127.0.0.1",
        ASK_CI_DATA_DIR: path.join(dir, "data"),
        ADMIN_PASSWORD: PASSWORD,
        ASK_CI_BOOTSTRAP_KUBECONFIG: kubeconfigFile,
        NEXT_TELEMETRY_DISABLED: "1",
      },
    });
    children.push(app);
    const inspectorUrl = new Promise<string>((resolve) =>
      createInterface(app.stderr!).on("line", (line) => {
        const match = /Debugger listening on (ws:\/\/\S+)/.exec(line);
        if (match) resolve(match[1]);
        else if (!/^For help, see|Debugger attached|Waiting for the debugger/.test(line)) console.error(line);
      }),
    );
    const url = await inspectorUrl;
    const server = await inspectorProtocol(url);
    const base = `http://127.0.0.1:${PORT}`;
    // Connect only: a request would load a route's bundle before the first reading.
    const listening = () =>
      new Promise<boolean>((resolve) =>
        net
          .connect(PORT, "127.0.0.1", function (this: net.Socket) {
            this.destroy();
            resolve(true);
          })
          .once("error", () => resolve(false)),
      );
    await waitFor("the server to listen", listening);

    const rows: Array<[string, number, SelfReport]> = [];
    const measure = async (label: string) => {
      await server.send("HeapProfiler.collectGarbage");
      const report = await selfReport(server);
      rows.push([label, rssMiB(app.pid!), report]);
      const mb = (x: number) => (x / MiB).toFixed(0).padStart(4);
      console.log(
        `  ${label.padEnd(28)} RSS ${rssMiB(app.pid!).toFixed(0).padStart(4)} MB  heap used ${mb(report.heapUsed)} / total ${mb(report.heapTotal)}  external ${mb(report.external)}  code ${mb(report.code)} MB  CJS modules ${report.cjsModules}`,
      );
    };
    console.log("server memory after a full GC:");
    await measure("listening, nothing served");

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu"],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(180_000);
    await page.goto(`${base}/login`);
    await measure("/login served");
    await page.getByLabel(/Username/).fill("admin");
    await page.getByLabel(/^Password$/).fill(PASSWORD);
    await page.getByRole("button", { name: /Sign in/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    for (const pathname of PAGES) {
      const response = await page.goto(`${base}${pathname}`, { waitUntil: "networkidle" }).catch(() => null);
      await measure(`${pathname} (${response?.status() ?? "no answer"})`);
    }
    await page.goto("about:blank");
    await browser.close();
    await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
    await measure(`idle ${SETTLE_SECONDS} s, no viewer`);

    const last = rows.at(-1)![2];
    console.log("V8 heap spaces used (MB):");
    console.log(
      "  " +
        Object.entries(last.spaces)
          .filter(([, used]) => used > MiB / 2)
          .map(([space, used]) => `${space} ${(used / MiB).toFixed(1)}`)
          .join(", "),
    );
    console.log("JavaScript source loaded, by owner (MB of source text, largest 15):");
    for (const [who, bytes] of (await loadedSource(url)).slice(0, 15))
      console.log(`  ${(bytes / MiB).toFixed(1).padStart(6)}  ${who}`);
    // Before any snapshot: serialising one grows the process's malloc heap.
    console.log("resident memory by mapping (MB, largest 12):");
    for (const [name, kB] of smaps(app.pid!).slice(0, 12))
      console.log(`  ${(kB / 1024).toFixed(1).padStart(6)}  ${name}`);
    if (process.env.BENCH_HEAP_SNAPSHOT) {
      console.log("heap snapshot, largest groups by self size (MB, count):");
      for (const [group, size, count] of (await heapSnapshotSummary(url)).slice(0, 25))
        console.log(`  ${(size / MiB).toFixed(1).padStart(6)}  ${String(count).padStart(8)}  ${group}`);
    }
    server.close();
    console.log(`end: ${machineLoad()}`);
  } finally {
    await stopChildren(children);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
