import { describe, expect, it } from "vitest";
import { podFromApi } from "./pod-input";

describe("podFromApi", () => {
  it.each<[string, unknown, unknown]>([
    ["not an object", "pod", null],
    ["an array", [], null],
    ["null", null, null],
    [
      "a label that is a number is dropped",
      { metadata: { labels: { a: "1", b: 2 } } },
      { metadata: { labels: { a: "1" } } },
    ],
    ["labels that are a list are dropped", { metadata: { name: "p", labels: ["a"] } }, { metadata: { name: "p" } }],
    ["a uid that is a number is dropped", { metadata: { uid: 7, name: "p" } }, { metadata: { name: "p" } }],
    [
      "a container list that is an object is dropped",
      { spec: { containers: { name: "build" }, nodeName: "n" } },
      { spec: { nodeName: "n" } },
    ],
    [
      "a container that is not an object is left out",
      { spec: { containers: ["x", { name: "build" }] } },
      { spec: { containers: [{ name: "build" }] } },
    ],
    [
      "quantities: numbers become strings, junk and impossible sizes are dropped",
      {
        spec: {
          containers: [
            {
              name: "b",
              resources: {
                requests: { cpu: 2, memory: "1e400" },
                limits: { cpu: "2000", memory: "-5Gi", "ephemeral-storage": "10Gi", gpu: "lots" },
              },
            },
          ],
        },
      },
      {
        spec: {
          containers: [{ name: "b", resources: { requests: { cpu: "2" }, limits: { "ephemeral-storage": "10Gi" } } }],
        },
      },
    ],
    [
      "a restart count of 1e999 or -1 is dropped, a boolean ready kept",
      {
        status: {
          containerStatuses: [
            { name: "b", restartCount: Infinity, ready: true },
            { name: "c", restartCount: -1 },
          ],
        },
      },
      { status: { containerStatuses: [{ name: "b", ready: true }, { name: "c" }] } },
    ],
    [
      "fields we do not read pass through",
      { spec: { dnsPolicy: 5 }, extra: { x: 1 } },
      { spec: { dnsPolicy: 5 }, extra: { x: 1 } },
    ],
  ])("%s", (_name, input, expected) => {
    expect(podFromApi(input)).toEqual(expected);
  });

  it("cleans in place and keeps a __proto__ key from JSON as plain data", () => {
    const raw = JSON.parse('{"metadata": {"labels": {"__proto__": "x", "ok": "y"}}}') as object;
    const pod = podFromApi(raw);
    expect(pod).toBe(raw);
    expect(Object.keys(pod!.metadata!.labels!)).toEqual(["__proto__", "ok"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
