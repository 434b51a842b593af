import { describe, expect, it } from "vitest";
import { stoppedAtFromEvents } from "./stop-time";

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
    ["times before 2000", [killing({ lastTimestamp: "1970-01-01T00:00:00Z" })]],
    ["hostile entries", [null, 42, "Killing", [], { reason: { toString: "x" } }, killing({ lastTimestamp: 5 })]],
  ])("%s: null", (_name, events) => {
    expect(stoppedAtFromEvents(events)).toBeNull();
  });
});
