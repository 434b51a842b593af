import { beforeEach, describe, expect, it } from "vitest";
import { generateManifests } from "./generate";
import { loadSettings } from "./test-helpers";
import type { KubeObject } from "./types";
import { schemaErrors, validateManifests } from "./validate";

// Generated before each test, not on import, so a mutation run counts it as the tests' code.
let objects: KubeObject[];
beforeEach(() => {
  objects = generateManifests(loadSettings("example-settings.yaml"));
});
const byKind = (kind: string) => structuredClone(objects.find((o) => o.kind === kind)!);

describe("validateManifests", () => {
  it("accepts the generated objects, one result per object", async () => {
    const results = await validateManifests(objects);
    expect(results.map((r) => `${r.kind}/${r.name}`)).toEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
  });

  it("reports a bad quantity in a Deployment with its path", async () => {
    const deployment = byKind("Deployment");
    const container = (
      deployment.spec as { template: { spec: { containers: { resources: { limits: Record<string, string> } }[] } } }
    ).template.spec.containers[0];
    container.resources.limits.cpu = "lots";
    const [result] = await validateManifests([deployment]);
    expect(result.errors.join("\n")).toContain("/spec/template/spec/containers/0/resources/limits/cpu");
    expect(result.errors.every((e) => e.startsWith("/spec/template/spec/containers/0/resources/limits/cpu "))).toBe(
      true,
    );
    expect(result.errors.some((e) => / must /.test(e))).toBe(true);
  });

  it("names what is missing at the root of an ImageCache, and every error at once", async () => {
    const noSpec = byKind("ImageCache");
    delete noSpec.spec;
    const twoFaults = byKind("ImageCache");
    Object.assign(twoFaults.spec as Record<string, unknown>, { images: [], imageCacheSize: 10 });
    const [missing, both] = await validateManifests([noSpec, twoFaults]);
    expect(missing.errors).toEqual(["(root) must have required property 'spec'"]);
    expect(both.errors).toHaveLength(2);
  });

  it("checks an ImageCache only at ECI's API version, and only that kind there", async () => {
    const otherVersion = { ...byKind("ImageCache"), apiVersion: "eci.alibabacloud.com/v1beta1" };
    const otherKind = { ...byKind("ImageCache"), kind: "ImageCacheSet" };
    const results = await validateManifests([otherVersion, otherKind]);
    expect(results.map((r) => r.errors)).toEqual([
      ["no schema known for eci.alibabacloud.com/v1beta1 ImageCache"],
      ["no schema known for eci.alibabacloud.com/v1 ImageCacheSet"],
    ]);
  });

  it("reads an object without metadata as nameless", async () => {
    const [result] = await validateManifests([{ apiVersion: "v1", kind: "Widget" } as KubeObject]);
    expect(result).toEqual({ kind: "Widget", name: "", errors: ["no schema known for v1 Widget"] });
  });

  it("reports a PVC with an unknown access-mode type", async () => {
    const pvc = byKind("PersistentVolumeClaim");
    (pvc.spec as Record<string, unknown>).accessModes = "ReadWriteMany";
    const [result] = await validateManifests([pvc]);
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it("checks the ImageCache against its CRD schema: size range, cluster scope, non-empty images", async () => {
    const tooSmall = byKind("ImageCache");
    (tooSmall.spec as Record<string, unknown>).imageCacheSize = 10;
    const namespaced = byKind("ImageCache");
    namespaced.metadata.namespace = "gitlab-ci";
    const empty = byKind("ImageCache");
    (empty.spec as Record<string, unknown>).images = [];
    const results = await validateManifests([tooSmall, namespaced, empty]);
    expect(results[0].errors.join()).toMatch(/imageCacheSize/);
    expect(results[1].errors.length).toBeGreaterThan(0);
    expect(results[2].errors.join()).toMatch(/images/);
  });

  it("refuses kinds it has no schema for rather than passing them", async () => {
    const unknown: KubeObject = {
      apiVersion: "apiextensions.k8s.io/v1beta1",
      kind: "CustomResourceDefinition",
      metadata: { name: "x" },
    };
    const [result] = await validateManifests([unknown]);
    expect(result.errors).toEqual(["no schema known for apiextensions.k8s.io/v1beta1 CustomResourceDefinition"]);
  });
});

describe("schemaErrors", () => {
  it("is empty for valid objects and names each invalid object once, with all its errors", async () => {
    expect(await schemaErrors(objects)).toEqual([]);
    const unknown: KubeObject = {
      apiVersion: "apiextensions.k8s.io/v1beta1",
      kind: "CustomResourceDefinition",
      metadata: { name: "x" },
    };
    const empty = byKind("ImageCache");
    (empty.spec as Record<string, unknown>).images = [];
    (empty.spec as Record<string, unknown>).imageCacheSize = 10;
    const lines = await schemaErrors([byKind("Namespace"), unknown, empty]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      "CustomResourceDefinition/x: no schema known for apiextensions.k8s.io/v1beta1 CustomResourceDefinition",
    );
    const prefix = `ImageCache/${empty.metadata.name}: `;
    expect(lines[1].startsWith(prefix)).toBe(true);
    const errors = lines[1].slice(prefix.length).split("; ");
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/imageCacheSize/), expect.stringMatching(/images/)]),
    );
  });
});
