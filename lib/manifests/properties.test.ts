import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { settingsInput } from "./arbitraries";
import { jobPodAnnotations, mergedConfig } from "./config-toml";
import { generateManifests } from "./generate";
import { CONFIG_KEYS } from "./paths";
import { validateManifests } from "./validate";
import { toYaml } from "./yaml";

const settingsArb = settingsInput.map((input) => runnerSettingsSchema.parse(input));

describe("properties over random valid settings", () => {
  it("the schema accepts every generated input", () => {
    fc.assert(fc.property(settingsInput, (input) => runnerSettingsSchema.safeParse(input).success));
  });

  it("config.toml parses back to the settings", () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const configMap = generateManifests(s).find((o) => o.kind === "ConfigMap")!;
        const data = configMap.data as Record<string, string>;
        const config = mergedConfig(data[CONFIG_KEYS.globalConfig], data[CONFIG_KEYS.runnerTemplate]) as Record<
          string,
          unknown
        > & {
          runners: { name: string; url: string; token?: string; kubernetes: Record<string, unknown> }[];
        };
        expect(config.concurrent).toBe(s.gitlab.concurrent);
        expect(config.check_interval).toBe(s.gitlab.checkIntervalSeconds);
        const [runner] = config.runners;
        expect(runner.name).toBe(s.gitlab.runnerName);
        expect(runner.url).toBe(s.gitlab.url);
        expect(runner.token).toBeUndefined();
        const k = runner.kubernetes;
        expect(k.namespace).toBe(s.cluster.namespace);
        expect(k.image).toBe(s.jobPods.image);
        expect([k.cpu_request, k.cpu_limit, k.memory_request, k.memory_limit]).toEqual([
          s.jobPods.build.cpuRequest,
          s.jobPods.build.cpuLimit,
          s.jobPods.build.memoryRequest,
          s.jobPods.build.memoryLimit,
        ]);
        expect([k.helper_cpu_limit, k.helper_memory_limit, k.service_cpu_limit, k.service_memory_limit]).toEqual([
          s.jobPods.helper.cpuLimit,
          s.jobPods.helper.memoryLimit,
          s.jobPods.services.cpuLimit,
          s.jobPods.services.memoryLimit,
        ]);
        expect(k.poll_timeout).toBe(s.jobPods.pollTimeoutSeconds);
        expect(k.pod_annotations).toEqual(jobPodAnnotations(s));
        expect(k.pod_labels ?? {}).toEqual(s.jobPods.podLabels);
        const pvc = ((k.volumes as { pvc?: { mount_path: string }[] } | undefined)?.pvc ?? []).map((v) => v.mount_path);
        expect(pvc).toEqual(s.storage.volumes.map((v) => v.mountPath));
        expect(JSON.stringify(data)).not.toContain(s.gitlab.runnerToken);
        // Also each document on its own is valid TOML.
        expect(() => parse(data[CONFIG_KEYS.runnerTemplate])).not.toThrow();
      }),
    );
  });

  it("every object validates against its schema", async () => {
    await fc.assert(
      fc.asyncProperty(settingsArb, async (s) => {
        const results = await validateManifests(generateManifests(s));
        expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("output is deterministic: same settings, byte-identical YAML, also after a round trip through JSON", () => {
    fc.assert(
      fc.property(settingsArb, fc.boolean(), (s, redactSecrets) => {
        const first = toYaml(generateManifests(s), { redactSecrets });
        const again = toYaml(generateManifests(runnerSettingsSchema.parse(JSON.parse(JSON.stringify(s)))), {
          redactSecrets,
        });
        expect(again).toBe(first);
      }),
    );
  });

  it("output does not depend on the order of user-entered labels and annotations", () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const reversed = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).reverse());
        const shuffled = {
          ...s,
          jobPods: {
            ...s.jobPods,
            podLabels: reversed(s.jobPods.podLabels),
            podAnnotations: reversed(s.jobPods.podAnnotations),
          },
        };
        expect(toYaml(generateManifests(shuffled), { redactSecrets: false })).toBe(
          toYaml(generateManifests(s), { redactSecrets: false }),
        );
      }),
    );
  });

  it("every object carries the ask-ci labels", () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        for (const o of generateManifests(s)) {
          expect(o.metadata.labels).toMatchObject({
            "app.kubernetes.io/managed-by": "ask-ci",
            "app.kubernetes.io/instance": s.cluster.instanceName,
            "app.kubernetes.io/part-of": "ask-ci",
            "app.kubernetes.io/name": "gitlab-runner",
          });
        }
      }),
    );
  });
});
