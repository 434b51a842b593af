import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { OUTPUT_FILE, demoRunnerYaml } from "./generate";

describe("the demo cluster's pre-deployed runners", () => {
  it("are exactly what the manifest generator makes of scripts/demo-runner/settings.yaml (run generate.ts after a change)", () => {
    expect(readFileSync(OUTPUT_FILE, "utf8")).toBe(demoRunnerYaml());
  });

  it("are two runners, one on spot job pods, each with its config, token Secret and Deployment", () => {
    const objects = parseAllDocuments(readFileSync(OUTPUT_FILE, "utf8")).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string } },
    );
    const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    expect(names("Deployment")).toEqual(["ask-ci-demo", "ask-ci-demo-spot"]);
    expect(names("ConfigMap")).toEqual(["ask-ci-demo-config", "ask-ci-demo-spot-config"]);
    // The demo cluster has the namespace from its first start (its viewer account lives there).
    expect(names("Namespace")).toEqual([]);
    expect(readFileSync(OUTPUT_FILE, "utf8")).toContain('"k8s.aliyun.com/eci-spot-strategy" = "SpotAsPriceGo"');
  });
});
