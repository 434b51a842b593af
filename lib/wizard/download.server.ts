import "server-only";
import { generateManifests, objectNames, toHelmValues, toYaml } from "@/lib/manifests";
import { loadProfileSettings, profileLoadFailure, type ProfileLoadFailure } from "./profiles.server";

type Download = { ok: true; body: string; filename: string } | ProfileLoadFailure;

/** How to create the redacted Secrets by hand, at the top of a download without secrets. */
export function redactedHeader(
  namespace: string,
  tokenSecret: string,
  registrySecret: string | undefined,
  cacheSecret?: string,
): string {
  const lines = [
    "# Secret values are redacted. Create the Secrets yourself before applying, e.g.:",
    `#   kubectl -n ${namespace} create secret generic ${tokenSecret} --from-literal=runner-token=glrt-…`,
  ];
  if (registrySecret)
    lines.push(
      `#   kubectl -n ${namespace} create secret docker-registry ${registrySecret} --docker-server=… --docker-username=… --docker-password=…`,
    );
  if (cacheSecret)
    lines.push(
      `#   kubectl -n ${namespace} create secret generic ${cacheSecret} --from-literal=accesskey=LTAI… --from-literal=secretkey=…`,
    );
  lines.push("# and remove the redacted Secret documents below (or download with secrets from the wizard).");
  return lines.join("\n") + "\n";
}

export async function downloadFor(
  profileId: string,
  format: "yaml" | "helm",
  includeSecrets: boolean,
): Promise<Download> {
  const loaded = await loadProfileSettings(profileId);
  if (!loaded.ok) return profileLoadFailure(loaded);
  const { settings } = loaded;
  const base = `${settings.cluster.instanceName}`;
  if (format === "helm") return { ok: true, body: toHelmValues(settings), filename: `${base}-values.yaml` };
  const objects = generateManifests(settings);
  const yaml = toYaml(objects, { redactSecrets: !includeSecrets });
  const names = objectNames(settings);
  const header = includeSecrets
    ? ""
    : redactedHeader(names.namespace, names.tokenSecret, names.registrySecret, names.cacheSecret);
  return { ok: true, body: header + yaml, filename: `${base}${includeSecrets ? "-with-secrets" : ""}.yaml` };
}
