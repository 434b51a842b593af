import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyUpdate } from "./apply-update";
import type { PodSummary } from "./pod-summary";
import type { StreamMessage } from "./protocol";

function row(uid: string, resourceVersion = "1"): PodSummary {
  return {
    uid,
    name: `pod-${uid}`,
    namespace: "ci",
    resourceVersion,
    phase: "Running",
    reason: null,
    restarts: 0,
    createdAt: 0,
    startedAt: 0,
    finishedAt: null,
    deletingAt: null,
    goneAt: null,
    isJobPod: true,
    jobTimeoutSeconds: null,
    runner: "r",
    projectId: null,
    projectPath: null,
    jobId: null,
    jobName: null,
    jobUrl: null,
    ref: null,
    placement: { backend: "eci" },
    spec: { vcpu: 1, memoryGiB: 2 },
    specSource: "default",
    cost: { currency: "CNY", perSecond: "0.0001", billingStart: 0, billingEnd: null, final: null },
  };
}

const status = { state: "live" as const, since: 0 };
const uids = (list: PodSummary[]) => list.map((p) => `${p.uid}@${p.resourceVersion}`);

describe("applyUpdate", () => {
  it.each<[string, PodSummary[], StreamMessage, string[]]>([
    [
      "snapshot replaces everything",
      [row("a")],
      { type: "snapshot", pods: [row("b"), row("c")], status },
      ["b@1", "c@1"],
    ],
    ["upsert of a new pod appends", [row("a")], { type: "changes", upserts: [row("b")], deletes: [] }, ["a@1", "b@1"]],
    [
      "upsert of a known pod replaces it in place",
      [row("a"), row("b")],
      { type: "changes", upserts: [row("a", "2")], deletes: [] },
      ["a@2", "b@1"],
    ],
    ["delete removes", [row("a"), row("b")], { type: "changes", upserts: [], deletes: ["a"] }, ["b@1"]],
    ["delete of an unknown pod is a no-op", [row("a")], { type: "changes", upserts: [], deletes: ["zz"] }, ["a@1"]],
    [
      "delete wins over an upsert in the same batch",
      [row("a")],
      { type: "changes", upserts: [row("a", "2"), row("n")], deletes: ["a", "n"] },
      [],
    ],
    ["status leaves the list alone", [row("a")], { type: "status", status }, ["a@1"]],
  ])("%s", (_name, list, message, expected) => {
    expect(uids(applyUpdate(list, message))).toEqual(expected);
  });

  it("does not mutate its input and returns the same list for an empty batch", () => {
    const list = [row("a")];
    const frozen = Object.freeze([...list]);
    applyUpdate(frozen, { type: "changes", upserts: [row("b")], deletes: ["a"] });
    expect(frozen).toEqual(list);
    expect(applyUpdate(list, { type: "changes", upserts: [], deletes: [] })).toBe(list);
  });

  it("is idempotent: applying a batch twice equals applying it once", () => {
    const id = fc.constantFrom("a", "b", "c", "d", "e");
    const batch = fc.record({
      upserts: fc.array(
        fc.tuple(id, fc.nat(9)).map(([u, v]) => row(u, String(v))),
        { maxLength: 5 },
      ),
      deletes: fc.array(id, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(id), batch, (start, b) => {
        const message: StreamMessage = { type: "changes", ...b };
        const once = applyUpdate(
          start.map((u) => row(u)),
          message,
        );
        expect(uids(applyUpdate(once, message))).toEqual(uids(once));
        expect(new Set(once.map((p) => p.uid)).size).toBe(once.length);
      }),
    );
  });
});

describe("applyUpdate on long lists", () => {
  // The plain definition: one pass, upserts in place or appended, deletes dropped.
  function reference(list: readonly PodSummary[], upserts: PodSummary[], deletes: string[]): PodSummary[] {
    const byUid = new Map(upserts.map((pod) => [pod.uid, pod]));
    const gone = new Set(deletes);
    const next = list.filter((pod) => !gone.has(pod.uid)).map((pod) => byUid.get(pod.uid) ?? pod);
    const known = new Set(list.map((pod) => pod.uid));
    for (const pod of byUid.values()) if (!known.has(pod.uid) && !gone.has(pod.uid)) next.push(pod);
    return next;
  }

  it("gives the plain definition's list after any sequence of batches", () => {
    const id = fc.integer({ min: 0, max: 40 }).map(String);
    const batch = fc.record({
      upserts: fc.array(
        fc.tuple(id, fc.nat(99)).map(([u, v]) => row(u, String(v))),
        { maxLength: 6 },
      ),
      deletes: fc.oneof(fc.constant([] as string[]), fc.array(id, { maxLength: 3 })),
    });
    fc.assert(
      fc.property(fc.uniqueArray(id, { maxLength: 30 }), fc.array(batch, { maxLength: 12 }), (start, batches) => {
        let list = start.map((u) => row(u));
        let expected = list;
        for (const b of batches) {
          const input = list;
          const inputBefore = uids(input);
          list = applyUpdate(input, { type: "changes", ...b });
          expected = reference(expected, b.upserts, b.deletes);
          expect(uids(list)).toEqual(uids(expected));
          expect(uids(input)).toEqual(inputBefore);
        }
      }),
    );
  });
});
