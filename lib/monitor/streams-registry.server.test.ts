import { describe, expect, it, vi } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { JOB_POD_LABEL, type Pod } from "@/lib/kube/pod";
import { FakeSource } from "./testing/fake-source";
import { jobPod } from "./testing/pods";
import { PodStreamRegistry, podStreams, type StreamTarget } from "./streams.server";

// PodStreamRegistry's sharing rules (lib/monitor/streams.server.ts): one cache per connection,
// namespace and selector, stopped (its watch aborted) with its last holder; streams linger.

function registry(lingerMs?: number) {
  const sources: Array<{ target: StreamTarget; selector: string; source: FakeSource<Pod> }> = [];
  const reg = new PodStreamRegistry({
    configFor: () => Promise.reject(new Error("no cluster in this test")),
    sourceFor: (target, selector) => {
      const source = new FakeSource<Pod>();
      sources.push({ target, selector, source });
      return source;
    },
    priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
    lingerMs,
  });
  return { reg, sources };
}

describe("PodStreamRegistry", () => {
  it("keeps one cache per selector, job pods by default, and aborts its watch when the last holder lets go", async () => {
    const { reg, sources } = registry();
    const jobs = reg.acquireCache({ connectionId: "c", namespace: "ns" });
    const jobsAgain = reg.acquireCache({ connectionId: "c", namespace: "ns", selector: JOB_POD_LABEL });
    const runners = reg.acquireCache({ connectionId: "c", namespace: "ns", selector: "app=gitlab-runner" });
    expect(sources.map((s) => s.selector)).toEqual([JOB_POD_LABEL, "app=gitlab-runner"]);
    expect(reg.stats()).toMatchObject({ active: 2, created: 2 });
    await vi.waitFor(() => expect(sources[0].source.watching).toBe(true));
    jobs.release();
    expect(sources[0].source.watching).toBe(true);
    jobsAgain.release();
    expect(sources[0].source.watching).toBe(false);
    runners.release();
    expect(reg.stats().active).toBe(0);
  });

  it("a stream lingers after its last viewer for lingerMs, then stops", async () => {
    const { reg } = registry(80);
    const lease = await reg.acquire({ connectionId: "c", namespace: "ns" });
    lease.release();
    expect(reg.stats().streams).toBe(1);
    await vi.waitFor(() => expect(reg.stats().streams).toBe(0), { timeout: 2000 });
  });

  it("prices a connection's unlabelled pods on the connection's default backend", async () => {
    // A job pod with no ECI/ACS label or annotation: where it runs is the connection's default.
    const unlabelled = jobPod("u1", "1", "Running", { started: "2026-01-01T00:00:05Z" });
    delete unlabelled.metadata!.annotations!["k8s.aliyun.com/eci-instance-spec"];
    const backends: Record<string, "eci" | "acs"> = { "on-acs": "acs", "on-eci": "eci" };
    const reg = new PodStreamRegistry({
      configFor: () => Promise.reject(new Error("no cluster in this test")),
      sourceFor: () => Object.assign(new FakeSource<Pod>(), { items: [unlabelled] }),
      priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
      defaultBackend: async (connectionId) => backends[connectionId],
    });
    const onAcs = await reg.acquire({ connectionId: "on-acs", namespace: "ns" });
    const onEci = await reg.acquire({ connectionId: "on-eci", namespace: "ns" });
    await vi.waitFor(() => expect(onAcs.value.pods()).toHaveLength(1));
    await vi.waitFor(() => expect(onEci.value.pods()).toHaveLength(1));
    expect(onAcs.value.pods()[0].placement.backend).toBe("acs");
    expect(onEci.value.pods()[0].placement.backend).toBe("eci");
    onAcs.release();
    onEci.release();
  });

  it("the process-wide registry is one", () => {
    expect(podStreams()).toBeInstanceOf(PodStreamRegistry);
    expect(podStreams()).toBe(podStreams());
  });
});
