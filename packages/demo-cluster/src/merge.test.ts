import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import { serverSideApply } from "./managed-fields";
import { jsonMergePatch, jsonPatch, strategicMergePatch } from "./merge";
import { decodeKubeProtobuf } from "./protobuf";
import { humanDuration, podStatusReason } from "./tables";
import type { KubeObject } from "./types";

describe("strategic merge patch", () => {
  const live = {
    metadata: { finalizers: ["a"], labels: { x: "1" } },
    spec: {
      containers: [
        { name: "build", image: "alpine", ports: [{ containerPort: 80 }] },
        { name: "helper", image: "helper" },
      ],
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } },
      args: ["a", "b"],
    },
  };

  it("honours $setElementOrder, $deleteFromPrimitiveList, $retainKeys and set lists", () => {
    const out = strategicMergePatch(live, {
      metadata: { finalizers: ["b"], "$deleteFromPrimitiveList/finalizers": ["a"] },
      spec: {
        "$setElementOrder/containers": [{ name: "helper" }, { name: "build" }],
        containers: [{ name: "build", ports: [{ containerPort: 8080 }] }],
        strategy: { $retainKeys: ["type"], type: "Recreate" },
        args: ["c"],
      },
    }) as typeof live;
    expect(out.metadata.finalizers).toEqual(["b"]);
    expect(out.spec.containers.map((c) => c.name)).toEqual(["helper", "build"]);
    expect(out.spec.containers[1].ports).toEqual([{ containerPort: 80 }, { containerPort: 8080 }]);
    expect(out.spec.strategy).toEqual({ type: "Recreate" });
    expect(out.spec.args).toEqual(["c"]);
  });

  it("keys container ports on containerPort and Service ports on port", () => {
    const svc = {
      spec: {
        ports: [
          { name: "http", port: 80, targetPort: 8080 },
          { name: "metrics", port: 9252 },
        ],
      },
    };
    const out = strategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }) as typeof svc;
    expect(out.spec.ports).toEqual([
      { name: "http", port: 80, targetPort: 9090 },
      { name: "metrics", port: 9252 },
    ]);
  });

  it("replaces with $patch: replace and deletes maps with $patch: delete", () => {
    const out = strategicMergePatch(live, {
      metadata: { labels: { $patch: "replace", y: "2" } },
      spec: { strategy: { $patch: "delete" } },
    }) as {
      metadata: { labels: unknown };
      spec: Record<string, unknown>;
    };
    expect(out.metadata.labels).toEqual({ y: "2" });
    expect(out.spec.strategy).toBeUndefined();
  });
});

describe("JSON merge patch and JSON patch", () => {
  it("merge patch removes keys with null", () => {
    expect(jsonMergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: null }, e: 4 })).toEqual({ a: 1, b: { d: 3 }, e: 4 });
  });
  it("JSON patch applies operations in order and fails tests with 422", () => {
    expect(
      jsonPatch({ a: [1, 2] }, [
        { op: "add", path: "/a/-", value: 3 },
        { op: "move", from: "/a", path: "/b" },
      ]),
    ).toEqual({ b: [1, 2, 3] });
    expect(() => jsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }])).toThrow(ApiError);
    expect(() => jsonPatch({ a: 1 }, [{ op: "remove", path: "/nope" }])).toThrow(/missing/);
  });
});

describe("server-side apply", () => {
  const cm = (data: Record<string, string>, name = "c"): KubeObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name },
    data,
  });

  it("lists every conflicting field per manager, as kube-apiserver does", () => {
    let live = serverSideApply(undefined, cm({ a: "1", b: "1" }), "alice", false, "v1", "t");
    live = serverSideApply(live, cm({ c: "1" }), "bob", false, "v1", "t");
    try {
      serverSideApply(live, cm({ a: "2", b: "2", c: "2" }), "carol", false, "v1", "t");
      throw new Error("expected a conflict");
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).message).toBe(
        'Apply failed with 3 conflicts: conflicts with "alice":\n- .data.a\n- .data.b\nconflicts with "bob":\n- .data.c',
      );
    }
  });

  it("merges keyed lists by their keys and writes fieldsV1 with k: segments", () => {
    const pod = (image: string): KubeObject => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "build", image }] },
    });
    const first = serverSideApply(undefined, pod("a"), "m", false, "v1", "t");
    expect(first.metadata.managedFields).toEqual([
      {
        manager: "m",
        operation: "Apply",
        apiVersion: "v1",
        time: "t",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:spec": { "f:containers": { 'k:{"name":"build"}': { ".": {}, "f:name": {}, "f:image": {} } } } },
      },
    ]);
    const withSidecar = {
      ...first,
      spec: {
        containers: [
          { name: "build", image: "a" },
          { name: "side", image: "s" },
        ],
      },
    };
    const second = serverSideApply(withSidecar, pod("b"), "m", false, "v1", "t");
    expect((second.spec as { containers: unknown[] }).containers).toEqual([
      { name: "build", image: "b" },
      { name: "side", image: "s" },
    ]);
  });
});

describe("protobuf request bodies", () => {
  function encode(fields: Array<[number, Buffer | string | number]>): Buffer {
    const parts: Buffer[] = [];
    for (const [no, v] of fields) {
      if (typeof v === "number") parts.push(Buffer.from([(no << 3) | 0, v]));
      else {
        const b = typeof v === "string" ? Buffer.from(v) : v;
        parts.push(Buffer.from([(no << 3) | 2, b.length]), b);
      }
    }
    return Buffer.concat(parts);
  }

  it("decodes a SelfSubjectAccessReview the way kubectl auth can-i sends it", () => {
    const attrs = encode([
      [1, "default"],
      [2, "create"],
      [3, "apps"],
      [5, "deployments"],
    ]);
    const raw = encode([
      [1, encode([[1, ""]])],
      [2, encode([[1, attrs]])],
    ]);
    const unknown = encode([
      [
        1,
        encode([
          [1, "authorization.k8s.io/v1"],
          [2, "SelfSubjectAccessReview"],
        ]),
      ],
      [2, raw],
    ]);
    const body = decodeKubeProtobuf(Buffer.concat([Buffer.from("k8s\0", "latin1"), unknown]));
    expect(body).toEqual({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: {},
      spec: { resourceAttributes: { namespace: "default", verb: "create", group: "apps", resource: "deployments" } },
    });
  });

  it("rejects bodies without the k8s magic and kinds it cannot decode", () => {
    expect(() => decodeKubeProtobuf(Buffer.from("nope"))).toThrow(/magic/);
    const unknown = encode([
      [
        1,
        encode([
          [1, "batch/v1"],
          [2, "Job"],
        ]),
      ],
    ]);
    expect(() => decodeKubeProtobuf(Buffer.concat([Buffer.from("k8s\0", "latin1"), unknown]))).toThrow(
      /unknown format/,
    );
  });
});

describe("table printing", () => {
  it("formats ages like kubectl", () => {
    expect(humanDuration(59_000)).toBe("59s");
    expect(humanDuration(150_000)).toBe("2m30s");
    expect(humanDuration(3 * 3600_000 + 5 * 60_000)).toBe("3h5m");
    expect(humanDuration(3 * 86400_000)).toBe("3d");
  });
  it("derives the STATUS column from container states", () => {
    expect(
      podStatusReason({
        status: { phase: "Pending", containerStatuses: [{ state: { waiting: { reason: "ImagePullBackOff" } } }] },
      }),
    ).toBe("ImagePullBackOff");
    expect(
      podStatusReason({
        status: {
          phase: "Failed",
          containerStatuses: [{ state: { terminated: { reason: "OOMKilled", exitCode: 137 } } }],
        },
      }),
    ).toBe("OOMKilled");
    expect(podStatusReason({ metadata: { deletionTimestamp: "x" }, status: { phase: "Running" } })).toBe("Terminating");
  });
});
