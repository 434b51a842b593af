import { describe, expect, it } from "vitest";
import type { KubeObject } from "../types";
import { ManualClock } from "./clock";
import { EventRecorder } from "./event-recorder";
import { EVENT } from "./kinds";
import { newClusterStore } from "./testing/harness";

const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", uid: "u1" } };
const backOff = {
  type: "Normal" as const,
  reason: "BackOff",
  message: 'Back-off pulling image "x"',
  component: "kubelet",
  fieldPath: "spec.containers{build}",
};

describe("EventRecorder", () => {
  it("aggregates repeats into one Event with a count and lastTimestamp", () => {
    const clock = new ManualClock();
    const store = newClusterStore(clock);
    const events = new EventRecorder(store, clock);
    events.record(pod, backOff);
    clock.advance(10_000);
    events.record(pod, backOff);
    const [event] = store.list(EVENT);
    expect(store.list(EVENT)).toHaveLength(1);
    expect(event).toMatchObject({
      count: 2,
      reason: "BackOff",
      type: "Normal",
      involvedObject: { kind: "Pod", name: "p", uid: "u1", fieldPath: "spec.containers{build}" },
    });
    expect(event.metadata.namespace).toBe("default");
    expect(event.metadata.name).toMatch(/^p\.[0-9a-f]+$/);
    expect(Date.parse(event.lastTimestamp as string) - Date.parse(event.firstTimestamp as string)).toBe(10_000);
  });

  it("expires Events after the TTL, including ones found in the store at start", () => {
    const clock = new ManualClock();
    const store = newClusterStore(clock);
    const before = new EventRecorder(store, clock, 60_000);
    before.record(pod, backOff);
    before.stop();
    const restarted = new EventRecorder(store, clock, 60_000);
    restarted.start();
    clock.advance(30_000);
    restarted.record(pod, { ...backOff, reason: "Pulling", message: 'Pulling image "x"' });
    clock.advance(31_000);
    expect(store.list(EVENT).map((e) => e.reason)).toEqual(["Pulling"]);
    clock.advance(30_000);
    expect(store.list(EVENT)).toEqual([]);
  });
});
