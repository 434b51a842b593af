import { beforeEach, describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { LEGACY_TOKEN_MESSAGE, runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { generateManifests } from "./generate";
import { fromBase64 } from "./base64";
import { CONFIG_KEYS } from "./paths";
import { find, loadSeedObjects, loadSettings } from "./test-helpers";
import type { KubeObject } from "./types";

/**
 * The seed's settings (seed-settings.yaml) must reproduce the seed's objects
 * (__fixtures__/seed/, copied from aliyuneci/BestPractice-Serverless-Kubernetes) field by
 * field, except for the seed's known faults. Each fault is asserted on both sides here.
 */
const settings = loadSettings("seed-settings.yaml");
const seedConfigMap = loadSeedObjects("config-map.yaml")[0];
const seedDeployment = loadSeedObjects("gitlab-runner-deployment.yaml")[0];
const seedSecret = loadSeedObjects("secret.yaml")[0];
const seedCrd = loadSeedObjects("imagecache-crd.yaml")[0];
const seedImageCache = loadSeedObjects("imagecache.yaml")[0];
const seedVolumes = ["nas-pv.yaml", "nas-pvc.yaml", "mvn-pv.yaml", "mvn-pvc.yaml"].map((f) => loadSeedObjects(f)[0]);

const data = (o: KubeObject) => o.data as Record<string, string>;
const spec = (o: KubeObject) => o.spec as Record<string, unknown>;
type Toml = Record<string, unknown> & { runners: Record<string, unknown>[] };

// The seed's config.toml with its one syntax error patched, to compare the rest.
const seedToml = parse(data(seedConfigMap)["config.toml"].replace("token = $token", 'token = "seed-token"')) as Toml;
const seedRunner = seedToml.runners[0];
const seedKubernetes = seedRunner.kubernetes as Record<string, unknown>;
// Our objects are generated before each test, not on import: a mutation run (Stryker) counts the code
// each test runs, and output built on import would leave these comparisons judging no mutant.
let ours: KubeObject[];
let ourConfigMap: KubeObject;
let ourGlobal: Record<string, unknown>;
let ourRunner: Record<string, unknown>;
let ourKubernetes: Record<string, unknown>;
beforeEach(() => {
  ours = generateManifests(settings);
  ourConfigMap = find(ours, "ConfigMap", "gitlab-runner-config");
  ourGlobal = parse(data(ourConfigMap)[CONFIG_KEYS.globalConfig]);
  ourRunner = (parse(data(ourConfigMap)[CONFIG_KEYS.runnerTemplate]) as Toml).runners[0];
  ourKubernetes = ourRunner.kubernetes as Record<string, unknown>;
});

describe("golden: seed settings reproduce the seed objects", () => {
  it("produces exactly the seed's object set, minus the admin TLS Secret and the CRD, plus RBAC and the token/registry Secrets", () => {
    const names = ours.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual([
      "ServiceAccount/gitlab-runner",
      "Role/gitlab-runner",
      "RoleBinding/gitlab-runner",
      "Secret/gitlab-runner-token",
      // Seed README step 3 creates it with `kubectl create secret docker-registry`.
      "Secret/registry-auth-secret",
      "ConfigMap/gitlab-runner-config",
      "PersistentVolume/gitlab-runner-cache-pv",
      "PersistentVolume/gitlab-runner-maven-pv",
      "PersistentVolumeClaim/gitlab-runner-cache-pvc",
      "PersistentVolumeClaim/gitlab-runner-maven-pvc",
      "ImageCache/gitlab-runner",
      "Deployment/gitlab-runner",
    ]);
  });

  describe("config.toml", () => {
    it("FAULT invalid TOML: the seed's `token = $token` does not parse; ours does", () => {
      expect(() => parse(data(seedConfigMap)["config.toml"])).toThrow();
      expect(() => parse(data(ourConfigMap)[CONFIG_KEYS.runnerTemplate])).not.toThrow();
    });

    it("keeps the seed's global and [[runners]] values", () => {
      expect(ourGlobal.concurrent).toBe(seedToml.concurrent);
      expect(ourGlobal.check_interval).toBe(seedToml.check_interval);
      for (const key of ["name", "url", "executor", "output_limit"])
        expect(ourRunner[key], key).toEqual(seedRunner[key]);
    });

    it("FAULT token in the ConfigMap: ours has no token anywhere in the ConfigMap, it comes from the Secret", () => {
      expect(seedRunner.token).toBeDefined();
      expect(ourRunner.token).toBeUndefined();
      expect(JSON.stringify(ourConfigMap)).not.toContain(settings.gitlab.runnerToken);
      const tokenSecret = find(ours, "Secret", "gitlab-runner-token");
      expect(fromBase64(data(tokenSecret)["runner-token"])).toBe(settings.gitlab.runnerToken);
    });

    it("FAULT legacy registration token: the seed's era token (registration flow) is refused; only glrt- runner tokens are accepted", () => {
      expect(settings.gitlab.runnerToken.startsWith("glrt-")).toBe(true);
      const legacy = runnerSettingsSchema.safeParse({
        ...settings,
        gitlab: { ...settings.gitlab, runnerToken: "GR1348941aBcDeFgHiJkLmNoP" },
      });
      expect(legacy.error?.issues.map((i) => i.message)).toEqual([LEGACY_TOKEN_MESSAGE]);
    });

    it("keeps every seed [runners.kubernetes] value except the faults", () => {
      // FAULT admin certificates: host/cert_file/key_file/ca_file pointed the runner at the API
      // server with the cluster admin's client certificate; ours uses its ServiceAccount in-cluster.
      const adminKeys = ["host", "cert_file", "key_file", "ca_file"];
      // FAULT :latest: helper_image was x86_64-latest; ours is pinned (asserted below).
      const changed = [...adminKeys, "helper_image", "volumes"];
      for (const key of Object.keys(seedKubernetes).filter((k) => !changed.includes(k))) {
        expect(ourKubernetes[key], key).toEqual(seedKubernetes[key]);
      }
      for (const key of adminKeys) expect(ourKubernetes[key], key).toBeUndefined();
      expect(seedKubernetes.helper_image).toBe("gitlab/gitlab-runner-helper:x86_64-latest");
      expect(ourKubernetes.helper_image).toBe("gitlab/gitlab-runner-helper:x86_64-v19.3.0");
    });

    it("FAULT `readonly`: the seed's pvc volumes use a key the runner ignores; ours use read_only", () => {
      const seedPvc = (seedKubernetes.volumes as { pvc: Record<string, unknown>[] }).pvc;
      const ourPvc = (ourKubernetes.volumes as { pvc: Record<string, unknown>[] }).pvc;
      expect(seedPvc.every((v) => "readonly" in v && !("read_only" in v))).toBe(true);
      expect(ourPvc.map((v) => [v.name, v.mount_path, v.read_only])).toEqual(
        seedPvc.map((v) => [v.name, v.mount_path, v.readonly]),
      );
      expect(ourPvc.some((v) => "readonly" in v)).toBe(false);
    });

    it("mounts the registry Secret in job pods as the seed does (/root/.docker, .dockerconfigjson → config.json)", () => {
      const [seedSecretVolume] = (seedKubernetes.volumes as { secret: Record<string, unknown>[] }).secret;
      const [ourSecretVolume] = (ourKubernetes.volumes as { secret: Record<string, unknown>[] }).secret;
      expect(ourSecretVolume.name).toBe(seedSecretVolume.name);
      expect(ourSecretVolume.mount_path).toBe(seedSecretVolume.mount_path);
      expect(ourSecretVolume.items).toEqual(seedSecretVolume.items);
      // Kubernetes mounts Secret volumes read-only whatever the seed says; ours says so.
      expect(seedSecretVolume.read_only).toBe(false);
      expect(ourSecretVolume.read_only).toBe(true);
    });

    it("adds what the seed left to defaults that hurt on ECI", () => {
      // 180 s default poll_timeout is too short for an ECI cold start.
      expect(seedKubernetes.poll_timeout).toBeUndefined();
      expect(ourKubernetes.poll_timeout).toBeGreaterThanOrEqual(600);
    });
  });

  describe("Secret", () => {
    it("FAULT admin certificates in a Secret: no TLS Secret at all; the runner gets a least-privilege Role", () => {
      expect(seedSecret.type).toBe("kubernetes.io/tls");
      expect(Object.keys(data(seedSecret))).toEqual(["ca.crt", "tls.crt", "tls.key"]);
      expect(ours.filter((o) => o.kind === "Secret").map((o) => o.type)).toEqual([
        "Opaque",
        "kubernetes.io/dockerconfigjson",
      ]);
      const role = find(ours, "Role", "gitlab-runner");
      const rules = role.rules as { resources: string[]; verbs: string[] }[];
      expect(rules.flatMap((r) => r.verbs)).not.toContain("*");
      expect(rules.flatMap((r) => r.resources)).not.toContain("*");
      expect(find(ours, "RoleBinding", "gitlab-runner").subjects).toEqual([
        { kind: "ServiceAccount", name: "gitlab-runner", namespace: "default" },
      ]);
    });
  });

  describe("PersistentVolume / PersistentVolumeClaim", () => {
    for (const seedObject of seedVolumes) {
      it(`${seedObject.kind}/${seedObject.metadata.name}: same NAS, size and options; FAULT ReadWriteOnce shared by parallel pods → ReadWriteMany`, () => {
        const our = find(ours, seedObject.kind, seedObject.metadata.name);
        expect(spec(seedObject).accessModes).toEqual(["ReadWriteOnce"]);
        expect(spec(our).accessModes).toEqual(["ReadWriteMany"]);
        const compared =
          seedObject.kind === "PersistentVolume" ? ["capacity", "mountOptions", "nfs"] : ["resources", "volumeName"];
        for (const key of compared) expect(spec(our)[key], key).toEqual(spec(seedObject)[key]);
        // Added: an empty class so no default StorageClass provisions a volume instead.
        expect(spec(our).storageClassName).toBe("");
      });
    }
  });

  describe("ImageCache", () => {
    it("FAULT removed CRD API: the seed's CRD uses apiextensions.k8s.io/v1beta1 (removed in Kubernetes 1.22); we ship no CRD, ASK installs it", () => {
      expect(seedCrd.apiVersion).toBe("apiextensions.k8s.io/v1beta1");
      expect(ours.some((o) => o.apiVersion.startsWith("apiextensions.k8s.io/"))).toBe(false);
    });

    it("same cache, with :latest images pinned (FAULT :latest)", () => {
      const our = find(ours, "ImageCache", "gitlab-runner");
      expect(our.apiVersion).toBe(seedImageCache.apiVersion);
      const seedImages = spec(seedImageCache).images as string[];
      const ourImages = spec(our).images as string[];
      expect(ourImages).toHaveLength(seedImages.length);
      seedImages.forEach((image, i) => {
        // gitlab/gitlab-runner:latest is the Ubuntu flavour; the helper's x86_64 tag is the Alpine one.
        if (image.endsWith("latest"))
          expect(ourImages[i]).toBe(
            image.replace(/:latest$/, ":ubuntu-v19.3.0").replace(/x86_64-latest$/, "x86_64-v19.3.0"),
          );
        else expect(ourImages[i]).toBe(image);
      });
      // Added: the pull secret lets ECI cache the private images of the demo registry.
      expect(spec(our).imagePullSecrets).toEqual(["default:registry-auth-secret"]);
    });
  });

  describe("Deployment", () => {
    type PodTemplate = { metadata: Record<string, Record<string, string>>; spec: Record<string, unknown> };
    const seedPod = spec(seedDeployment).template as PodTemplate;
    const [seedContainer] = seedPod.spec.containers as Record<string, unknown>[];
    let our: KubeObject;
    let ourPod: PodTemplate;
    let ourContainer: Record<string, unknown>;
    beforeEach(() => {
      our = find(ours, "Deployment", "gitlab-runner");
      ourPod = spec(our).template as PodTemplate;
      [ourContainer] = ourPod.spec.containers as Record<string, unknown>[];
    });

    it("keeps the image cache annotation and pull policy", () => {
      expect(ourPod.metadata.annotations["k8s.aliyun.com/eci-image-cache"]).toBe(
        seedPod.metadata.annotations["k8s.aliyun.com/eci-image-cache"],
      );
      expect(ourContainer.imagePullPolicy).toBe(seedContainer.imagePullPolicy);
      expect(ourContainer.name).toBe(seedContainer.name);
    });

    it("FAULT :latest runner image → pinned version", () => {
      expect(seedContainer.image).toBe("gitlab/gitlab-runner:latest");
      expect(ourContainer.image).toBe("gitlab/gitlab-runner:ubuntu-v19.3.0");
    });

    it("FAULT admin certificates mounted into the runner → ServiceAccount, ConfigMap only", () => {
      const seedSources = (seedPod.spec.volumes as { projected: { sources: Record<string, unknown>[] } }[])[0].projected
        .sources;
      expect(seedSources.some((s) => "secret" in s)).toBe(true);
      expect(seedPod.spec.serviceAccountName).toBeUndefined();
      expect(ourPod.spec.serviceAccountName).toBe("gitlab-runner");
      const volumes = ourPod.spec.volumes as Record<string, unknown>[];
      expect(JSON.stringify(volumes)).not.toMatch(/tls\.(crt|key)/);
      expect(volumes.some((v) => (v.configMap as { name?: string } | undefined)?.name === "gitlab-runner-config")).toBe(
        true,
      );
    });

    it("adds what the seed lacks: resources, probes, non-root security context", () => {
      expect(seedContainer.resources).toBeUndefined();
      expect(ourContainer.resources).toEqual({
        requests: { cpu: "250m", memory: "512Mi" },
        limits: { cpu: "250m", memory: "512Mi" },
      });
      expect(ourContainer.livenessProbe).toBeDefined();
      expect(ourContainer.readinessProbe).toBeDefined();
      expect((ourPod.spec.securityContext as { runAsNonRoot?: boolean }).runAsNonRoot).toBe(true);
    });

    it("selects on app.kubernetes.io labels instead of the seed's `app` label (an existing seed Deployment must be deleted first: selectors are immutable)", () => {
      expect((spec(seedDeployment).selector as { matchLabels: object }).matchLabels).toEqual({ app: "gitlab-runner" });
      expect((spec(our).selector as { matchLabels: object }).matchLabels).toEqual({
        "app.kubernetes.io/name": "gitlab-runner",
        "app.kubernetes.io/instance": "gitlab-runner",
      });
    });
  });
});

describe("built-in namespaces", () => {
  it("never emits a Namespace object for default, even when asked to create the namespace", () => {
    const objects = generateManifests({ ...settings, cluster: { ...settings.cluster, createNamespace: true } });
    expect(objects.some((o) => o.kind === "Namespace")).toBe(false);
  });
});
