import { describe, expect, it } from "vitest";
import type { IEvent } from "kubernetes-models/v1/Event";
import { involvedObjectSelector, mergeRunnerEvents, ownedBy } from "./runner-events";

const event = (uid: string, kind: string, name: string, at: string, reason = "Scaled"): IEvent =>
  ({
    metadata: { uid, name: `${name}.${uid}` },
    involvedObject: { kind, name },
    reason,
    message: `${reason} ${name}`,
    type: "Normal",
    count: 1,
    lastTimestamp: at,
  }) as IEvent;

describe("runner events", () => {
  it("finds what an object owns by its uid, nothing for an unknown owner", () => {
    const items = [
      { metadata: { name: "a", ownerReferences: [{ uid: "d1", controller: true }] } },
      { metadata: { name: "b", ownerReferences: [{ uid: "d2" }] } },
      { metadata: { name: "c" } },
    ];
    expect(ownedBy(items, "d1").map((i) => i.metadata.name)).toEqual(["a"]);
    expect(ownedBy(items, undefined)).toEqual([]);
  });

  it("asks the events API by involvedObject kind and name", () => {
    expect(involvedObjectSelector("ReplicaSet", "runner-7d9f")).toBe(
      "involvedObject.kind=ReplicaSet,involvedObject.name=runner-7d9f",
    );
  });

  it("merges every object's events oldest first, each once, labelled with its object", () => {
    const merged = mergeRunnerEvents([
      { kind: "Deployment", name: "runner", events: [event("1", "Deployment", "runner", "2026-12-06T10:00:02Z")] },
      {
        kind: "ReplicaSet",
        name: "runner-7d9f",
        events: [event("2", "ReplicaSet", "runner-7d9f", "2026-12-06T10:00:01Z", "SuccessfulCreate")],
      },
      // The same event twice (two lists that overlap) is shown once.
      {
        kind: "Pod",
        name: "runner-7d9f-abcde",
        events: [
          event("3", "Pod", "runner-7d9f-abcde", "2026-12-06T10:00:03Z", "Started"),
          event("3", "Pod", "runner-7d9f-abcde", "2026-12-06T10:00:03Z", "Started"),
        ],
      },
    ]);
    expect(merged.map((e) => `${e.object} ${e.reason}`)).toEqual([
      "ReplicaSet/runner-7d9f SuccessfulCreate",
      "Deployment/runner Scaled",
      "Pod/runner-7d9f-abcde Started",
    ]);
  });
});
