import "server-only";
import type { z } from "zod";
import { db } from "@/lib/db.server";

/** A setting an admin changes at run time; the default applies while none is stored or the stored one is invalid. */
export async function readSetting<S extends z.ZodType>(
  key: string,
  schema: S,
  fallback: z.infer<S>,
): Promise<z.infer<S>> {
  const row = await db.appSetting.findUnique({ where: { key } });
  if (!row) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export async function writeSetting(key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db.appSetting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
}
