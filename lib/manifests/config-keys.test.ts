import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { settingsInput } from "./arbitraries";
import { globalConfigToml, runnerTemplateToml } from "./config-toml";

// Keys of gitlab-runner's common/config.go (Config, RunnerConfig, KubernetesConfig, KubernetesPVC,
// KubernetesSecret) that we may write. A typo such as the seed's `readonly` is silently ignored
// by the runner, so the test refuses anything outside these lists.
const GLOBAL = ["concurrent", "check_interval", "log_level", "listen_address"];
const RUNNER = ["name", "url", "executor", "output_limit", "tls-ca-file", "cache_dir", "kubernetes"];
const KUBERNETES = [
  "namespace",
  "image",
  "helper_image",
  "pull_policy",
  "cpu_request",
  "cpu_limit",
  "memory_request",
  "memory_limit",
  "helper_cpu_request",
  "helper_cpu_limit",
  "helper_memory_request",
  "helper_memory_limit",
  "service_cpu_request",
  "service_cpu_limit",
  "service_memory_request",
  "service_memory_limit",
  "poll_timeout",
  "poll_interval",
  "pod_labels",
  "pod_annotations",
  "volumes",
];
const PVC = ["name", "mount_path", "sub_path", "read_only", "mount_propagation"];
const SECRET = ["name", "mount_path", "sub_path", "read_only", "items"];

const keys = (table: unknown) => Object.keys((table ?? {}) as object);

describe("config.toml keys", () => {
  it("are all real gitlab-runner keys", () => {
    fc.assert(
      fc.property(settingsInput, (input) => {
        const s = runnerSettingsSchema.parse({
          ...input,
          gitlab: { ...input.gitlab, caCertificate: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" },
        });
        expect(GLOBAL).toEqual(expect.arrayContaining(keys(parse(globalConfigToml(s)))));
        const [runner] = (parse(runnerTemplateToml(s)) as { runners: Record<string, unknown>[] }).runners;
        expect(RUNNER).toEqual(expect.arrayContaining(keys(runner)));
        const kubernetes = runner.kubernetes as Record<string, unknown>;
        expect(KUBERNETES).toEqual(expect.arrayContaining(keys(kubernetes)));
        const volumes = (kubernetes.volumes ?? {}) as { pvc?: object[]; secret?: object[] };
        expect(["pvc", "secret"]).toEqual(expect.arrayContaining(keys(volumes)));
        for (const v of volumes.pvc ?? []) expect(PVC).toEqual(expect.arrayContaining(keys(v)));
        for (const v of volumes.secret ?? []) expect(SECRET).toEqual(expect.arrayContaining(keys(v)));
      }),
    );
  });
});
