/**
 * V8 CPU profiles for the monitor benchmarks, through the DevTools protocol: Chromium's page
 * (Playwright's CDP session) and the dashboard's Node process (its inspector, `--inspect`).
 * A profile is saved as .cpuprofile (open it in Chrome DevTools) and summarised by self time.
 */
import fs from "node:fs";
import path from "node:path";
import WebSocket from "ws";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Anything that sends DevTools protocol commands: a Playwright CDPSession or an inspector socket. */
export interface Protocol {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
}

export async function startProfiling(protocol: Protocol): Promise<void> {
  await protocol.send("Profiler.enable");
  await protocol.send("Profiler.setSamplingInterval", { interval: 200 });
  await protocol.send("Profiler.start");
}

export async function stopProfiling(protocol: Protocol): Promise<CpuProfile> {
  const { profile } = (await protocol.send("Profiler.stop")) as { profile: CpuProfile };
  return profile;
}

/** The DevTools protocol over a Node inspector's WebSocket (ws://127.0.0.1:port/uuid). */
export async function inspectorProtocol(url: string): Promise<Protocol & { close(): void }> {
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 2 ** 20 });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let nextId = 1;
  const waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id !== undefined) waiting.get(message.id)?.(message);
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, (message) => {
          waiting.delete(id);
          if (message.error) reject(new Error(`${method}: ${message.error.message}`));
          else resolve(message.result);
        });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

function frameLabel({ functionName, url, lineNumber }: ProfileNode["callFrame"]): string {
  if (!url) return functionName || "(anonymous)";
  const file = url.replace(/^.*\/(node_modules\/)?/, (_m, nm: string | undefined) => (nm ? "node_modules/" : ""));
  return `${functionName || "(anonymous)"} ${file.slice(-60)}:${lineNumber + 1}`;
}

/** Self time per function, highest first, and the profile's length; `top` lines as text. */
export function summarizeProfile(profile: CpuProfile, top = 15): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const label = frameLabel(byId.get(profile.samples[i])!.callFrame);
    self.set(label, (self.get(label) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const total = (profile.endTime - profile.startTime) / 1000;
  const busy = [...self].filter(([label]) => label !== "(idle)").reduce((sum, [, ms]) => sum + ms, 0);
  const lines = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([label, ms]) => `    ${ms.toFixed(0).padStart(6)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${label}`,
    );
  return [`  ${total.toFixed(0)} ms profiled, ${busy.toFixed(0)} ms not idle; self time:`, ...lines].join("\n");
}

export function saveProfile(dir: string, name: string, profile: CpuProfile): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  return file;
}
