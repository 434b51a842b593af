import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEMO_CONFIG_TOML } from "../seed-workload";
import { parseRunnerConfig } from "./runner-config";

const seedToml = (
  parse(readFileSync(path.join(__dirname, "testdata/config-map.yaml"), "utf8")) as { data: Record<string, string> }
).data["config.toml"];

describe("parseRunnerConfig", () => {
  it("reads the demo config.toml without problems", () => {
    const { config, problems } = parseRunnerConfig(DEMO_CONFIG_TOML);
    expect(problems).toEqual([]);
    expect(config.concurrent).toBe(4);
    expect(config.runners[0].kubernetes).toMatchObject({
      namespace: "gitlab-runner",
      cpu_limit: "0.5",
      helper_memory_request: "1Gi",
    });
    expect(config.runners[0].kubernetes.pod_annotations["k8s.aliyun.com/eci-image-cache"]).toBe("true");
  });

  it("skips the seed article's invalid `token = $token` line and keeps the rest", () => {
    const { config, problems } = parseRunnerConfig(seedToml);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^line 6: /);
    expect(config.concurrent).toBe(2);
    const runner = config.runners[0];
    expect(runner.token).toBeUndefined();
    expect(runner.kubernetes.namespace).toBe("default");
    expect(runner.kubernetes.volumes.pvc.map((v) => v.mount_path)).toEqual(["/cache", "/root/.m2"]);
    expect(runner.kubernetes.volumes.secret[0].items).toEqual({ ".dockerconfigjson": "config.json" });
  });

  it("falls back to defaults for garbage and for fields of the wrong type", () => {
    expect(parseRunnerConfig("[[[").config.concurrent).toBe(1);
    const { config } = parseRunnerConfig('concurrent = "lots"\n[[runners]]\nname = 7\n');
    expect(config.concurrent).toBe(1);
    expect(config.runners[0].name).toBe("gitlab-runner");
  });
});
