"use server";

import { audited, recordAudit } from "@/lib/audit/record.server";
import { requireRole } from "@/lib/auth/authorize.server";
import { requestValidation } from "@/lib/i18n/validation.server";
import { getConnection } from "@/lib/connections/store.server";
import { loadPriceBook } from "@/lib/cost/price-book.server";
import type { Site } from "@/lib/cost/prices";
import { draftSaveSchema } from "@/lib/wizard/draft-schema";
import {
  deleteProfile,
  getProfileName,
  loadProfileSettings,
  ProfileError,
  saveDraft,
  type ProfileDto,
} from "@/lib/wizard/profiles.server";
import { buildReview, type Review } from "@/lib/wizard/review";

type Issues = Array<{ path: string; message: string }>;
export type SaveResult = { ok: true; profile: ProfileDto } | { ok: false; error: string; issues?: Issues };
export type ReviewResult = { ok: true; review: Review } | { ok: false; error: string; issues?: Issues };

export async function saveDraftAction(input: unknown): Promise<SaveResult> {
  const user = await requireRole("operator", { action: "profile.save" });
  const parsed = draftSaveSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      error: parsed.error.issues[0]?.message ?? "Invalid draft",
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  const { t } = await requestValidation();
  if (parsed.data.connectionId && !(await getConnection(parsed.data.connectionId)))
    return { ok: false, error: t("server.connectionGone") };
  const target = { type: "profile", id: parsed.data.id ?? null, name: parsed.data.name };
  try {
    const profile = await saveDraft(parsed.data);
    await recordAudit({ actor: user, action: "profile.save", target: { ...target, id: profile.id }, result: "ok" });
    return { ok: true, profile };
  } catch (error) {
    await recordAudit({
      actor: user,
      action: "profile.save",
      target,
      result: "error",
      message: (error as Error).message,
    });
    if (error instanceof ProfileError)
      return {
        ok: false,
        error:
          error.status === 409
            ? t("server.profileNameTaken", { name: parsed.data.name })
            : error.status === 404
              ? t("server.profileGone")
              : error.message,
      };
    throw error;
  }
}

export async function reviewAction(profileId: string, site: Site): Promise<ReviewResult> {
  await requireRole("operator");
  if (typeof profileId !== "string" || (site !== "cn" && site !== "intl"))
    return { ok: false, error: "Invalid request" };
  const { locale, t } = await requestValidation();
  const loaded = await loadProfileSettings(profileId, locale);
  if (!loaded.ok) return { ok: false, error: t("server.settingsInvalid"), issues: loaded.issues };
  return { ok: true, review: await buildReview(loaded.settings, await loadPriceBook(site)) };
}

export async function deleteProfileAction(profileId: string): Promise<{ ok: boolean }> {
  const user = await requireRole("operator", { action: "profile.delete" });
  if (typeof profileId !== "string" || profileId.length > 64) return { ok: false };
  const name = await getProfileName(profileId);
  if (name === null) return { ok: true };
  await audited({ actor: user, action: "profile.delete", target: { type: "profile", id: profileId, name } }, () =>
    deleteProfile(profileId),
  );
  return { ok: true };
}
