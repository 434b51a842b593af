import { z } from "zod";
import { MONITOR_GITLAB_PAGE, type ActiveJobsCursor } from "@/lib/gitlab/monitor-facts-pages";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const namespaceSchema = z
  .string()
  .max(63)
  .regex(DNS_LABEL, "Namespace must be a DNS label such as gitlab-runner");
export const podNameSchema = z.string().max(253).regex(DNS_SUBDOMAIN, "Pod name must be a DNS subdomain name");
const containerSchema = z.string().max(63).regex(DNS_LABEL, "Container name must be a DNS label such as build");

export const DEFAULT_NAMESPACE = "gitlab-runner";
/** Every namespace (kubectl's --all-namespaces); not a valid namespace name, so never ambiguous. */
export const ALL_NAMESPACES = "*";

/** A namespace, or every namespace (`*`). */
export const watchedNamespaceSchema = z.union([z.literal(ALL_NAMESPACES), namespaceSchema]);

/** ?cluster=<connection name>&namespace=<ns or *>: both optional. */
export const streamQuerySchema = z.object({
  cluster: z.string().trim().min(1).max(200).optional(),
  namespace: watchedNamespaceSchema.default(DEFAULT_NAMESPACE),
});

export const podRefSchema = z.object({ namespace: namespaceSchema, name: podNameSchema });

const flag = z
  .enum(["true", "false", "1", "0"], { message: "Use true or false" })
  .optional()
  .transform((v) => v === "true" || v === "1");

export const logQuerySchema = z.object({
  cluster: z.string().trim().min(1).max(200).optional(),
  container: containerSchema,
  follow: flag,
  previous: flag,
  download: flag,
  timestamps: flag,
  /** Only lines written in the last N seconds (the API's sinceSeconds); at most 30 days. */
  sinceSeconds: z.coerce
    .number({ message: "sinceSeconds must be a number" })
    .int()
    .min(1)
    .max(30 * 24 * 3600)
    .optional(),
  tailLines: z.coerce.number({ message: "tailLines must be a number" }).int().min(1).max(100_000).optional(),
});

const day = z.iso.date({ message: "Dates are YYYY-MM-DD" });
/** Finished (the runner ended the job) or Vanished (the platform did); Succeeded/Failed are the phases of older records. */
export const HISTORY_STATUSES = ["Finished", "Vanished", "Succeeded", "Failed"] as const;
/** GitLab's result of a History row (lib/job-history/list.ts historyResult). */
export const HISTORY_RESULTS = ["success", "failed", "canceled", "skipped", "pending", "unknown"] as const;

export const historyQuerySchema = z
  .object({
    cluster: z.string().trim().min(1).max(200).optional(),
    project: z.string().trim().max(300).optional(),
    status: z.enum(HISTORY_STATUSES, { message: "Status must be Finished or Vanished" }).optional(),
    result: z
      .enum(HISTORY_RESULTS, {
        message: "Result must be success, failed, canceled, skipped, pending or unknown",
      })
      .optional(),
    from: day.optional(),
    to: day.optional(),
    page: z.coerce.number({ message: "page must be a number" }).int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number({ message: "pageSize must be a number" }).int().min(1).max(500).default(50),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: "The start date must not be after the end date",
    path: ["from"],
  });

export type HistoryQuery = z.infer<typeof historyQuerySchema>;

/** Query parameters as a plain object, empty values dropped (an empty filter means "any"). */
export function searchParamsObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) if (value !== "") out[key] = value;
  return out;
}

/** zod issues as { field: message } for a 4xx JSON body. */
export function issuesByField(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * ?cluster&namespace and either jobs=1,2,3 (the live pods' GitLab job ids, one chunk) or after=<jobId>:<GitLab
 * connection id> (the next page of active jobs; none: the first). See lib/gitlab/monitor-facts-pages.ts.
 */
export const monitorGitlabQuerySchema = streamQuerySchema
  .extend({
    jobs: z
      .string()
      .max(20_000)
      .regex(/^(\d{1,15}(,\d{1,15})*)?$/, { message: "jobs is a comma-separated list of job ids" })
      .optional()
      .transform((text) => (text ? [...new Set(text.split(",").map(Number))] : []))
      .refine((ids) => ids.length <= MONITOR_GITLAB_PAGE, { message: `At most ${MONITOR_GITLAB_PAGE} job ids` }),
    after: z
      .string()
      .max(200)
      .regex(/^\d{1,15}:[A-Za-z0-9_-]{1,100}$/, { message: "after is <job id>:<GitLab connection id>" })
      .optional()
      .transform((text): ActiveJobsCursor | null => {
        if (!text) return null;
        const at = text.indexOf(":");
        return { jobId: Number(text.slice(0, at)), gitlabConnectionId: text.slice(at + 1) };
      }),
  })
  .refine((query) => query.jobs.length === 0 || query.after === null, {
    message: "Ask for job ids or a page of active jobs, not both",
    path: ["after"],
  });
