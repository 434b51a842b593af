import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Persister, readSnapshot } from "./persistence";
import { MemoryStore } from "./store";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function setup(delayMs = 10) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-persist-"));
  dirs.push(dir);
  const store = new MemoryStore();
  store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const persister = new Persister(store, dir, delayMs);
  const configMap = (name: string) =>
    store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" } });
  const names = () =>
    (readSnapshot(dir)?.objects ?? []).filter((o) => o.kind === "ConfigMap").map((o) => o.metadata.name);
  return { dir, store, persister, configMap, names };
}

const waitFor = async (predicate: () => boolean, ms = 5000) => {
  for (const start = Date.now(); !predicate();) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("Persister", () => {
  it("writes changes after the delay, without blocking on the disk, and they read back", async () => {
    const { dir, store, persister, configMap, names } = setup();
    configMap("a");
    expect(readSnapshot(dir)).toBeUndefined();
    await waitFor(() => names().includes("a"));
    configMap("b");
    await waitFor(() => names().includes("b"));
    expect(readSnapshot(dir)?.resourceVersion).toBe(store.resourceVersion);
    persister.close();
    expect(fs.readdirSync(dir)).toEqual(["state.json"]);
  });

  it("close() during a background write keeps the newer snapshot and leaves no temp file", async () => {
    const { dir, store, persister, configMap, names } = setup();
    configMap("early");
    const inFlight = () => (persister as unknown as { writing?: Promise<void> }).writing;
    // Checked on every turn of the event loop: the write takes a few turns (open, write, close).
    for (const start = Date.now(); !inFlight();) {
      if (Date.now() - start > 5000) throw new Error("no background write started");
      await new Promise((r) => setImmediate(r));
    }
    const background = inFlight()!;
    configMap("late");
    persister.close();
    await background;
    expect(names()).toEqual(["early", "late"]);
    expect(readSnapshot(dir)?.resourceVersion).toBe(store.resourceVersion);
    expect(fs.readdirSync(dir)).toEqual(["state.json"]);
  });

  it("close() writes even when nothing was scheduled yet", () => {
    const { persister, configMap, names } = setup(60_000);
    configMap("only");
    persister.close();
    expect(names()).toEqual(["only"]);
  });
});
