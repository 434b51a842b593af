import { z } from "zod";
import { AUDIT_RESULTS } from "./actions";

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_EXPORT_MAX_ROWS = 100_000;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)));

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** The audit log's filters as they travel in the URL (page and export share them). */
export const auditFilterSchema = z.object({
  user: z.preprocess(blankToUndefined, z.string().trim().max(255).optional()),
  action: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  result: z.preprocess(blankToUndefined, z.enum(AUDIT_RESULTS).optional()),
  from: z.preprocess(blankToUndefined, day.optional()),
  to: z.preprocess(blankToUndefined, day.optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
});

export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** The UTC instants a filter's days cover: from the start of `from` to the end of `to`. */
export function auditTimeRange(filter: Pick<AuditFilter, "from" | "to">): { gte?: Date; lt?: Date } {
  const range: { gte?: Date; lt?: Date } = {};
  if (filter.from) range.gte = new Date(`${filter.from}T00:00:00Z`);
  if (filter.to) range.lt = new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000);
  return range;
}

export function searchParamsOf(filter: Partial<AuditFilter>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === "" || (key === "page" && value === 1)) continue;
    params.set(key, String(value));
  }
  return params;
}
