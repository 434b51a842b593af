import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Job, Pipeline } from "./model";
import { emptyState, Store } from "./store";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const pipeline = (id: number) => ({ id, projectId: 1 }) as Pipeline;
const job = (id: number, pipelineId: number) => ({ id, pipelineId, status: "success" }) as Job;

describe("Store", () => {
  it("prunes the oldest pipelines with their jobs and job logs, keeping the newest", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-gitlab-store-"));
    dirs.push(dir);
    const store = new Store(emptyState(), dir);
    store.data.pipelines.push(pipeline(1), pipeline(2), pipeline(3));
    store.data.jobs.push(job(10, 1), job(20, 2), job(30, 3));
    for (const id of [10, 20, 30]) store.setTrace(id, Buffer.from(`log ${id}`));
    store.saveNow();
    expect(fs.existsSync(path.join(dir, "traces", "10.log"))).toBe(true);

    store.prunePipelines(2);
    expect(store.data.pipelines.map((p) => p.id)).toEqual([2, 3]);
    expect(store.data.jobs.map((j) => j.id)).toEqual([20, 30]);
    expect(fs.existsSync(path.join(dir, "traces", "10.log"))).toBe(false);
    expect(store.trace(20).toString()).toBe("log 20");

    store.saveNow();
    const reloaded = Store.load(dir);
    expect(reloaded.data.pipelines.map((p) => p.id)).toEqual([2, 3]);
    expect(reloaded.trace(30).toString()).toBe("log 30");
  });
});
