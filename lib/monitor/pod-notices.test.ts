import { describe, expect, it } from "vitest";
import { noticeForPod, noticesFromEvents, type PodNotice } from "./pod-notices";

const event = (patch: Record<string, unknown> = {}, object: Record<string, unknown> = {}) => ({
  type: "Warning",
  reason: "SpotToBeReleased",
  message: "Spot ECI will be released in 3 minutes",
  lastTimestamp: "2026-12-06T10:00:00Z",
  involvedObject: { kind: "Pod", namespace: "gitlab-runner", name: "runner-a-1", uid: "uid-1", ...object },
  ...patch,
});

describe("noticesFromEvents", () => {
  it("keeps the platform's end-of-pod warnings, with pod, uid, message and time", () => {
    expect(
      noticesFromEvents([event(), event({ reason: "BestEffortPodToBeEvicted", message: "evicted in 5 minutes" })]),
    ).toEqual([
      {
        kind: "spotToBeReleased",
        namespace: "gitlab-runner",
        podName: "runner-a-1",
        podUid: "uid-1",
        message: "Spot ECI will be released in 3 minutes",
        at: "2026-12-06T10:00:00Z",
      },
      expect.objectContaining({ kind: "bestEffortToBeEvicted", message: "evicted in 5 minutes" }),
    ]);
  });

  it.each([
    ["a Normal event", event({ type: "Normal" })],
    ["another reason", event({ reason: "BackOff" })],
    ["a prototype key as reason", event({ reason: "toString" })],
    ["not about a pod", event({}, { kind: "Node" })],
    ["no pod name", event({}, { name: undefined })],
    ["null", null],
    ["a string", "SpotToBeReleased"],
  ])("leaves out %s", (_name, item) => {
    expect(noticesFromEvents([item])).toEqual([]);
  });

  it("reads nothing from a body that is not a list, and cuts long messages", () => {
    expect(noticesFromEvents({ items: [event()] })).toEqual([]);
    expect(noticesFromEvents([event({ message: "x".repeat(2000) })])[0].message).toHaveLength(500);
  });
});

describe("noticeForPod (the live row's warning)", () => {
  const notice = (patch: Partial<PodNotice> = {}): PodNotice => ({
    kind: "spotToBeReleased",
    namespace: "gitlab-runner",
    podName: "runner-a-1",
    podUid: "uid-1",
    message: "",
    at: "2026-12-06T10:00:00Z",
    ...patch,
  });
  const pod = (patch: Partial<Parameters<typeof noticeForPod>[0]> = {}) => ({
    uid: "uid-1",
    name: "runner-a-1",
    namespace: "gitlab-runner",
    phase: "Running" as const,
    deletingAt: null,
    ...patch,
  });

  it("warns on a Running (or Pending) pod that is not being deleted: the job is not over", () => {
    expect(noticeForPod(pod(), [notice()])?.kind).toBe("spotToBeReleased");
    expect(noticeForPod(pod({ phase: "Pending" }), [notice()])).not.toBeNull();
  });

  it("says nothing once the pod is being deleted or has ended: its phase and reason tell the end", () => {
    expect(noticeForPod(pod({ deletingAt: 1 }), [notice()])).toBeNull();
    expect(noticeForPod(pod({ phase: "Vanished" }), [notice()])).toBeNull();
    expect(noticeForPod(pod({ phase: "Finished" }), [notice()])).toBeNull();
  });

  it("matches by namespace, name and uid: a recreated pod of the same name is not warned", () => {
    expect(noticeForPod(pod({ uid: "uid-2" }), [notice()])).toBeNull();
    expect(noticeForPod(pod({ namespace: "other" }), [notice()])).toBeNull();
    expect(noticeForPod(pod({ uid: "uid-2" }), [notice({ podUid: null })])).not.toBeNull();
  });

  it("shows the newest notice", () => {
    const newer = notice({ kind: "bestEffortToBeEvicted", at: "2026-12-06T10:05:00Z" });
    expect(noticeForPod(pod(), [notice(), newer, notice({ at: null })])).toBe(newer);
  });
});
