import { describe, expect, it } from "vitest";
import { liveView, objectDiff } from "./live-view";

const configMap = (data: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "runner-config", namespace: "ci", labels: { a: "1" }, ...extra },
  data,
});

describe("liveView", () => {
  it("drops status and server-written metadata, keeps what the user set", () => {
    const view = liveView({
      ...configMap(
        { k: "v" },
        {
          resourceVersion: "7",
          uid: "u",
          generation: 2,
          creationTimestamp: new Date(0),
          managedFields: [{}],
          annotations: { "deployment.kubernetes.io/revision": "3" },
        },
      ),
      status: { phase: "Active" },
    });
    expect(view).toEqual(configMap({ k: "v" }));
  });

  it("keeps user annotations", () => {
    expect(
      liveView(configMap({}, { annotations: { "deployment.kubernetes.io/revision": "1", note: "x" } }))?.metadata,
    ).toMatchObject({ annotations: { note: "x" } });
  });

  it("is undefined for a missing object", () => {
    expect(liveView(undefined)).toBeUndefined();
  });
});

describe("objectDiff", () => {
  it.each([
    [
      "equal apart from server metadata",
      configMap({ k: "v" }, { resourceVersion: "1" }),
      configMap({ k: "v" }, { resourceVersion: "2" }),
      false,
    ],
    ["a changed value", configMap({ k: "v" }), configMap({ k: "w" }), true],
    ["a new object", undefined, configMap({ k: "v" }), true],
  ])("%s", (_name, live, applied, changed) => {
    const diff = objectDiff("ConfigMap ci/runner-config", live, applied);
    expect(diff !== "").toBe(changed);
  });

  it("shows the changed line", () => {
    const diff = objectDiff("x", configMap({ k: "old" }), configMap({ k: "new" }));
    expect(diff).toContain("-  k: old");
    expect(diff).toContain("+  k: new");
  });

  it("ignores key order", () => {
    expect(objectDiff("x", configMap({ a: "1", b: "2" }), configMap({ b: "2", a: "1" }))).toBe("");
  });

  it("never shows Secret values, but shows that one changed", () => {
    const secret = (token: string) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "t" },
      data: { "runner-token": Buffer.from(token).toString("base64"), same: "c2FtZQ==" },
    });
    const diff = objectDiff("Secret t", secret("glrt-old-secret-value"), secret("glrt-new-secret-value"));
    expect(diff).not.toContain(Buffer.from("glrt-old-secret-value").toString("base64"));
    expect(diff).not.toContain(Buffer.from("glrt-new-secret-value").toString("base64"));
    expect(diff).not.toContain("c2FtZQ==");
    expect(diff).toContain("runner-token: <redacted> (changed)");
    expect(objectDiff("Secret t", secret("a"), secret("a"))).toBe("");
  });
});
