import "server-only";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption.server";
import { db } from "@/lib/db.server";
import type { Locale } from "@/lib/i18n/locales";
import { runnerSchemasFor, runnerSettingsSchema, type RunnerSettings } from "@/lib/runner-settings/schema";
import type { DraftSave } from "./draft-schema";
import {
  keepOrReplace,
  mergeSecrets,
  secretFlags,
  splitSecrets,
  type SavedSecretFlags,
  type SettingsDraft,
  type WizardSecrets,
} from "./secrets";

export type ProfileStatus = "draft" | "saved" | "applied";

/** A runner profile as the browser sees it: settings without secrets, plus which secrets are stored. */
export interface ProfileDto {
  id: string;
  name: string;
  connectionId: string | null;
  status: ProfileStatus;
  step: number;
  settings: SettingsDraft;
  savedSecrets: SavedSecretFlags;
  updatedAt: string;
}

export class ProfileError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409 | 422,
  ) {
    super(message);
    this.name = "ProfileError";
  }
}

interface ProfileRow {
  id: string;
  name: string;
  connectionId: string | null;
  status: string;
  step: number;
  settings: string;
  secrets: string | null;
  updatedAt: Date;
}

function storedSecrets(row: Pick<ProfileRow, "secrets">): WizardSecrets {
  return row.secrets ? decryptJson<WizardSecrets>(row.secrets) : {};
}

function toDto(row: ProfileRow): ProfileDto {
  return {
    id: row.id,
    name: row.name,
    connectionId: row.connectionId,
    status: (["draft", "saved", "applied"].includes(row.status) ? row.status : "draft") as ProfileStatus,
    step: row.step,
    settings: JSON.parse(row.settings) as SettingsDraft,
    savedSecrets: secretFlags(storedSecrets(row)),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Creates or updates a draft. Secrets are encrypted into `secrets`; a secret field left empty
 * keeps the stored value, so editing a saved profile never needs the token again.
 */
export async function saveDraft(input: DraftSave): Promise<ProfileDto> {
  const { settings, secrets } = splitSecrets(input.settings as SettingsDraft);
  const existing = input.id ? await db.runnerProfile.findUnique({ where: { id: input.id } }) : null;
  if (input.id && !existing) throw new ProfileError("This profile no longer exists", 404);
  const clash = await db.runnerProfile.findUnique({ where: { name: input.name } });
  if (clash && clash.id !== existing?.id) throw new ProfileError(`A profile named "${input.name}" already exists`, 409);
  const allSecrets = keepOrReplace(existing ? storedSecrets(existing) : {}, secrets);
  const data = {
    name: input.name,
    connectionId: input.connectionId,
    step: input.step,
    settings: JSON.stringify(settings),
    secrets: Object.keys(allSecrets).length ? encryptJson(allSecrets) : null,
  };
  const row = existing
    ? await db.runnerProfile.update({ where: { id: existing.id }, data })
    : await db.runnerProfile.create({ data: { ...data, status: "draft" } });
  return toDto(row);
}

export async function getProfile(id: string): Promise<ProfileDto | null> {
  const row = await db.runnerProfile.findUnique({ where: { id } });
  return row ? toDto(row) : null;
}

export async function listProfiles(): Promise<ProfileDto[]> {
  const rows = await db.runnerProfile.findMany({ orderBy: { updatedAt: "desc" } });
  return rows.map(toDto);
}

/** The profile's name, or null when there is no such profile. */
export async function getProfileName(id: string): Promise<string | null> {
  const row = await db.runnerProfile.findUnique({ where: { id }, select: { name: true } });
  return row?.name ?? null;
}

export async function deleteProfile(id: string): Promise<void> {
  await db.runnerProfile.deleteMany({ where: { id } });
}

export async function setProfileStatus(id: string, status: ProfileStatus): Promise<void> {
  await db.runnerProfile.updateMany({ where: { id }, data: { status } });
}

export type LoadedSettings =
  | { ok: true; profile: ProfileDto; settings: RunnerSettings }
  | { ok: false; profile?: ProfileDto; issues: Array<{ path: string; message: string }> };

export type ProfileLoadFailure = {
  ok: false;
  status: 404 | 422;
  error: string;
  issues?: Array<{ path: string; message: string }>;
};

/** Why a profile's settings could not be loaded, as an HTTP answer: gone (404) or incomplete (422). */
export function profileLoadFailure(loaded: Extract<LoadedSettings, { ok: false }>): ProfileLoadFailure {
  return loaded.profile
    ? { ok: false, status: 422, error: "The settings are not complete or not valid", issues: loaded.issues }
    : { ok: false, status: 404, error: "This profile no longer exists" };
}

/**
 * The profile's full settings (secrets decrypted), validated with the one runner schema. Server
 * only. Issues are in `locale` when given (for the user), otherwise in English (logs, API).
 */
export async function loadProfileSettings(id: string, locale?: Locale): Promise<LoadedSettings> {
  const row = await db.runnerProfile.findUnique({ where: { id } });
  if (!row) return { ok: false, issues: [{ path: "", message: "This profile no longer exists" }] };
  const profile = toDto(row);
  const localized = locale ? runnerSchemasFor(locale) : undefined;
  const settings = mergeSecrets(profile.settings, storedSecrets(row));
  const parsed = localized
    ? localized.runnerSettingsSchema.safeParse(settings, localized.parseOptions)
    : runnerSettingsSchema.safeParse(settings);
  if (!parsed.success)
    return {
      ok: false,
      profile,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  return { ok: true, profile, settings: parsed.data };
}
