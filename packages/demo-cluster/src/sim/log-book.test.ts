import { describe, expect, it } from "vitest";
import { LogBook } from "./log-book";

describe("LogBook", () => {
  it("has no log for a container that never started, and no previous log before a restart", () => {
    const logs = new LogBook();
    expect(logs.read("ns", "p", "c")).toBeUndefined();
    logs.restart("ns", "p", "c");
    expect(logs.read("ns", "p", "c")).toEqual([]);
    expect(logs.read("ns", "p", "c", { previous: true })).toBeUndefined();
  });

  it("keeps the previous instance's lines after a restart", () => {
    const logs = new LogBook();
    logs.restart("ns", "p", "c");
    logs.append("ns", "p", "c", "first run");
    logs.end("ns", "p", "c");
    logs.restart("ns", "p", "c");
    logs.append("ns", "p", "c", "second run");
    expect(logs.read("ns", "p", "c", { previous: true })).toEqual(["first run"]);
    expect(logs.read("ns", "p", "c")).toEqual(["second run"]);
  });

  it("follows: streams only new lines (what was there is read), ends when the container stops or the pod goes", () => {
    const logs = new LogBook();
    logs.restart("ns", "p", "c");
    logs.append("ns", "p", "c", "a");
    const seen: string[] = [];
    let ended = 0;
    logs.follow(
      "ns",
      "p",
      "c",
      (l) => seen.push(l),
      () => ended++,
    );
    logs.append("ns", "p", "c", "b");
    logs.end("ns", "p", "c");
    logs.append("ns", "p", "c", "after end");
    expect(seen).toEqual(["b"]);
    expect(ended).toBe(1);

    logs.restart("ns", "p", "c");
    const stop = logs.follow(
      "ns",
      "p",
      "c",
      (l) => seen.push(l),
      () => ended++,
    );
    stop();
    logs.append("ns", "p", "c", "unseen");
    logs.follow(
      "ns",
      "p",
      "c",
      () => {},
      () => ended++,
    );
    logs.removePod("ns", "p");
    expect(seen).toEqual(["b"]);
    expect(ended).toBe(2);
    expect(logs.read("ns", "p", "c")).toBeUndefined();
  });

  it("keeps the time each line was written, for timestamps and since; followers get it too", () => {
    let now = 1_000;
    const logs = new LogBook(() => now);
    logs.restart("ns", "p", "c");
    logs.append("ns", "p", "c", "early");
    const followed: Array<[string, number]> = [];
    logs.follow(
      "ns",
      "p",
      "c",
      (line, time) => followed.push([line, time]),
      () => {},
    );
    now = 5_000;
    logs.append("ns", "p", "c", "late");
    expect(logs.readTimed("ns", "p", "c")).toEqual([
      { time: 1_000, text: "early" },
      { time: 5_000, text: "late" },
    ]);
    expect(followed).toEqual([["late", 5_000]]);
    logs.end("ns", "p", "c");
    logs.restart("ns", "p", "c");
    expect(logs.readTimed("ns", "p", "c", { previous: true })?.map((l) => l.time)).toEqual([1_000, 5_000]);
  });
});
