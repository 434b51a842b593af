import type { RunnerSettingsInput } from "@/lib/runner-settings/schema";

/** A wizard draft: whatever the user has filled in so far, not yet valid. */
export type SettingsDraft = DeepPartial<RunnerSettingsInput>;

type DeepPartial<T> =
  T extends Array<infer U> ? Array<DeepPartial<U>> : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** The values that must never be stored in plain text nor sent back to the browser. */
export interface WizardSecrets {
  runnerToken?: string;
  registryPassword?: string;
  ossAccessKeySecret?: string;
}

/** Which secrets a profile has stored: all the browser learns about them. */
export interface SavedSecretFlags {
  runnerToken: boolean;
  registryPassword: boolean;
  ossAccessKeySecret: boolean;
}

/** Takes the secrets out of a draft (empty strings count as "not given"). */
export function splitSecrets(draft: SettingsDraft): { settings: SettingsDraft; secrets: WizardSecrets } {
  const secrets: WizardSecrets = {};
  const settings: SettingsDraft = structuredClone(draft);
  if (settings.gitlab && "runnerToken" in settings.gitlab) {
    const token = settings.gitlab.runnerToken?.trim();
    if (token) secrets.runnerToken = token;
    delete settings.gitlab.runnerToken;
  }
  if (settings.registry && "password" in settings.registry) {
    if (settings.registry.password) secrets.registryPassword = settings.registry.password;
    delete settings.registry.password;
  }
  if (settings.distributedCache && "accessKeySecret" in settings.distributedCache) {
    if (settings.distributedCache.accessKeySecret)
      secrets.ossAccessKeySecret = settings.distributedCache.accessKeySecret;
    delete settings.distributedCache.accessKeySecret;
  }
  return { settings, secrets };
}

/**
 * Puts stored secrets back for validation and apply. A registry password (or OSS AccessKey secret)
 * only goes where a registry (or distributed cache) is configured: dropping it drops its secret too.
 */
export function mergeSecrets(settings: SettingsDraft, secrets: WizardSecrets): SettingsDraft {
  const merged: SettingsDraft = structuredClone(settings);
  if (secrets.runnerToken) merged.gitlab = { ...merged.gitlab, runnerToken: secrets.runnerToken };
  if (merged.registry && secrets.registryPassword)
    merged.registry = { ...merged.registry, password: secrets.registryPassword };
  if (merged.distributedCache && secrets.ossAccessKeySecret)
    merged.distributedCache = { ...merged.distributedCache, accessKeySecret: secrets.ossAccessKeySecret };
  return merged;
}

/** New secrets replace stored ones; a field left empty keeps what was stored. */
export function keepOrReplace(stored: WizardSecrets, given: WizardSecrets): WizardSecrets {
  return { ...stored, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v)) };
}

export function secretFlags(secrets: WizardSecrets): SavedSecretFlags {
  return {
    runnerToken: Boolean(secrets.runnerToken),
    registryPassword: Boolean(secrets.registryPassword),
    ossAccessKeySecret: Boolean(secrets.ossAccessKeySecret),
  };
}
