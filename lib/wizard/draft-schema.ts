import { z } from "zod";

export const WIZARD_STEPS = ["cluster", "gitlab", "jobPods", "storage", "registry", "imageCache", "review"] as const;

const MAX_SETTINGS_JSON = 200_000;

/**
 * A draft save from the wizard. The settings themselves are checked with runnerSettingsSchema
 * only when they are previewed or applied: a draft may be half filled in.
 */
export const draftSaveSchema = z.object({
  id: z.string().min(1).max(64).optional(),
  name: z.string().trim().min(1, "Give the profile a name").max(100, "Profile name must be at most 100 characters"),
  connectionId: z.string().min(1).max(64).nullable(),
  step: z
    .number()
    .int()
    .min(0)
    .max(WIZARD_STEPS.length - 1),
  settings: z
    .record(z.string(), z.unknown())
    .refine((s) => JSON.stringify(s).length <= MAX_SETTINGS_JSON, "Settings are too large"),
});

export type DraftSave = z.infer<typeof draftSaveSchema>;
