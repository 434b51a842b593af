import { Ajv } from "ajv";
import { IMAGE_CACHE_JSON_SCHEMA } from "./image-cache";
import type { KubeObject } from "./types";

export interface ObjectValidation {
  kind: string;
  name: string;
  errors: string[];
}

type Validator = { validate(): void };
type ModelClass = new (data: Record<string, unknown>) => Validator;

/**
 * kubernetes-models ships ESM only; a dynamic import keeps this module loadable from
 * CommonJS callers (tsx running the CLI) as well as from Next.js and vitest.
 */
const MODEL_LOADERS: Record<string, () => Promise<ModelClass>> = {
  "v1/Namespace": async () => (await import("kubernetes-models/v1/Namespace")).Namespace as unknown as ModelClass,
  "v1/ServiceAccount": async () =>
    (await import("kubernetes-models/v1/ServiceAccount")).ServiceAccount as unknown as ModelClass,
  "v1/Secret": async () => (await import("kubernetes-models/v1/Secret")).Secret as unknown as ModelClass,
  "v1/ConfigMap": async () => (await import("kubernetes-models/v1/ConfigMap")).ConfigMap as unknown as ModelClass,
  "v1/PersistentVolume": async () =>
    (await import("kubernetes-models/v1/PersistentVolume")).PersistentVolume as unknown as ModelClass,
  "v1/PersistentVolumeClaim": async () =>
    (await import("kubernetes-models/v1/PersistentVolumeClaim")).PersistentVolumeClaim as unknown as ModelClass,
  "rbac.authorization.k8s.io/v1/Role": async () =>
    (await import("kubernetes-models/rbac.authorization.k8s.io/v1/Role")).Role as unknown as ModelClass,
  "rbac.authorization.k8s.io/v1/RoleBinding": async () =>
    (await import("kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding")).RoleBinding as unknown as ModelClass,
  "apps/v1/Deployment": async () =>
    (await import("kubernetes-models/apps/v1/Deployment")).Deployment as unknown as ModelClass,
};

let imageCacheValidator: ReturnType<Ajv["compile"]> | undefined;

function validateImageCache(object: KubeObject): string[] {
  imageCacheValidator ??= new Ajv({ allErrors: true, strict: false }).compile(IMAGE_CACHE_JSON_SCHEMA);
  if (imageCacheValidator(object)) return [];
  return (imageCacheValidator.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`);
}

async function validateOne(object: KubeObject): Promise<string[]> {
  if (object.apiVersion === "eci.alibabacloud.com/v1" && object.kind === "ImageCache")
    return validateImageCache(object);
  const load = MODEL_LOADERS[`${object.apiVersion}/${object.kind}`];
  if (!load) return [`no schema known for ${object.apiVersion} ${object.kind}`];
  const Model = await load();
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
    if (details?.length) return details.map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`);
    return [(error as Error).message];
  }
}

/**
 * Checks every object against the Kubernetes OpenAPI schema (kubernetes-models) or, for the
 * ImageCache, its CRD schema. Returns one entry per object, errors empty when valid.
 */
export async function validateManifests(objects: KubeObject[]): Promise<ObjectValidation[]> {
  return Promise.all(
    objects.map(async (o) => ({ kind: o.kind, name: o.metadata?.name ?? "", errors: await validateOne(o) })),
  );
}

/** One line per object that fails its schema ("Kind/name: error; error"), for refusing an apply or a preview; [] when all are valid. */
export async function schemaErrors(objects: KubeObject[]): Promise<string[]> {
  return (await validateManifests(objects))
    .filter((v) => v.errors.length > 0)
    .map((v) => `${v.kind}/${v.name}: ${v.errors.join("; ")}`);
}
