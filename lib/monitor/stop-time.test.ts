import { afterEach, describe, expect, it, vi } from "vitest";
import { stoppedAtFromEvents } from "./stop-time";

afterEach(() => vi.useRealTimers());

const killing = (at: Record<string, unknown>) => ({ reason: "Killing", message: "Stopping container build", ...at });

describe("stoppedAtFromEvents", () => {
  it("takes the latest Killing event's time", () => {
    expect(
      stoppedAtFromEvents([
        { reason: "Started", lastTimestamp: "2026-01-01T00:00:05Z" },
        killing({ lastTimestamp: "2026-01-01T00:01:00Z" }),
        killing({ lastTimestamp: "2026-01-01T00:01:02Z" }),
        { reason: "Pulled", lastTimestamp: "2026-01-01T00:05:00Z" },
      ]),
    ).toEqual(new Date("2026-01-01T00:01:02Z"));
  });

  it("reads eventTime, then firstTimestamp, when lastTimestamp is missing", () => {
    expect(stoppedAtFromEvents([killing({ eventTime: "2026-01-01T00:02:00.123456Z" })])).toEqual(
      new Date("2026-01-01T00:02:00.123Z"),
    );
    expect(stoppedAtFromEvents([killing({ firstTimestamp: "2026-01-01T00:03:00Z" })])).toEqual(
      new Date("2026-01-01T00:03:00Z"),
    );
  });

  it("takes the latest whatever the order the events come in", () => {
    expect(
      stoppedAtFromEvents([
        killing({ lastTimestamp: "2026-01-01T00:01:02Z" }),
        killing({ lastTimestamp: "2026-01-01T00:01:00Z" }),
      ]),
    ).toEqual(new Date("2026-01-01T00:01:02Z"));
  });

  it("prefers lastTimestamp over eventTime over firstTimestamp, and skips a field it cannot use", () => {
    const all = {
      lastTimestamp: "2026-01-01T00:01:00Z",
      eventTime: "2026-01-01T00:02:00Z",
      firstTimestamp: "2026-01-01T00:00:30Z",
    };
    expect(stoppedAtFromEvents([killing(all)])).toEqual(new Date("2026-01-01T00:01:00Z"));
    expect(stoppedAtFromEvents([killing({ ...all, lastTimestamp: null })])).toEqual(new Date("2026-01-01T00:02:00Z"));
    expect(stoppedAtFromEvents([killing({ ...all, lastTimestamp: "garbage" })])).toEqual(
      new Date("2026-01-01T00:02:00Z"),
    );
    expect(
      stoppedAtFromEvents([killing({ lastTimestamp: 5, eventTime: 7, firstTimestamp: all.firstTimestamp })]),
    ).toEqual(new Date("2026-01-01T00:00:30Z"));
  });

  it("keeps an event at the pod's creation, and one a little ahead of this clock (skew)", () => {
    const notBefore = Date.parse("2026-01-01T00:00:30Z");
    expect(stoppedAtFromEvents([killing({ lastTimestamp: "2026-01-01T00:00:30Z" })], notBefore)).toEqual(
      new Date(notBefore),
    );
    const soon = new Date(Date.now() + 3_600_000);
    soon.setMilliseconds(0);
    expect(stoppedAtFromEvents([killing({ lastTimestamp: soon.toISOString() })])).toEqual(soon);
    expect(stoppedAtFromEvents([killing({ lastTimestamp: "2000-01-01T00:00:01Z" })])).toEqual(
      new Date("2000-01-01T00:00:01Z"),
    );
  });

  it("refuses a time a full day or more ahead of this clock", () => {
    vi.useFakeTimers({ now: Date.parse("2026-01-01T00:00:00Z") });
    expect(stoppedAtFromEvents([killing({ lastTimestamp: "2026-01-02T00:00:00Z" })])).toBeNull();
    expect(stoppedAtFromEvents([killing({ lastTimestamp: "2026-01-01T23:59:59.999Z" })])).toEqual(
      new Date("2026-01-01T23:59:59.999Z"),
    );
  });

  it("ignores events before the pod existed (an older pod of the same name)", () => {
    const notBefore = Date.parse("2026-01-01T00:00:30Z");
    expect(stoppedAtFromEvents([killing({ lastTimestamp: "2026-01-01T00:00:10Z" })], notBefore)).toBeNull();
  });

  it.each<[string, unknown]>([
    ["no events", []],
    ["not a list", { items: [] }],
    ["no Killing event", [{ reason: "Started", lastTimestamp: "2026-01-01T00:00:05Z" }]],
    ["unparsable times", [killing({ lastTimestamp: "%E0%A4%A" })]],
    ["times far in the future", [killing({ lastTimestamp: "+275760-09-13T00:00:00.000Z" })]],
    ["times more than a day ahead", [killing({ lastTimestamp: new Date(Date.now() + 90_000_000).toISOString() })]],
    ["exactly 2000-01-01", [killing({ lastTimestamp: "2000-01-01T00:00:00Z" })]],
    ["times before 2000", [killing({ lastTimestamp: "1970-01-01T00:00:00Z" })]],
    ["hostile entries", [null, 42, "Killing", [], { reason: { toString: "x" } }, killing({ lastTimestamp: 5 })]],
  ])("%s: null", (_name, events) => {
    expect(stoppedAtFromEvents(events)).toBeNull();
  });
});
