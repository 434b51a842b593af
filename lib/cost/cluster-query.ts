import { z } from "zod";

type RawParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
}

export const PERIOD_CHOICES = [7, 30, 90] as const;

const clusterQuerySchema = z.object({
  connection: z
    .string()
    .max(100)
    .regex(/^[\w-]+$/)
    .optional(),
  days: z.coerce.number().int().min(1).max(366).default(30),
  ecs: z.coerce.number().gt(0).max(10_000_000).default(139),
  runner: z
    .enum(["0", "1"])
    .default("0")
    .transform((value) => value === "1"),
  currency: z.enum(["CNY", "USD"]).optional(),
});

export type ClusterQuery = z.output<typeof clusterQuerySchema>;
export type ClusterQueryField = keyof ClusterQuery;

/**
 * The /cost/cluster query: connection id, period in days, the ECS monthly price to compare with,
 * whether to count the runner pod. A bad field falls back to its default and is reported.
 */
export function parseClusterQuery(raw: RawParams): { query: ClusterQuery; errors: ClusterQueryField[] } {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(clusterQuerySchema.shape)) input[key] = first(raw[key]);
  const errors: ClusterQueryField[] = [];
  const result = clusterQuerySchema.safeParse(input);
  if (result.success) return { query: result.data, errors };
  for (const issue of result.error.issues) {
    const field = issue.path[0] as ClusterQueryField;
    if (!errors.includes(field)) errors.push(field);
    delete input[field];
  }
  return { query: clusterQuerySchema.parse(input), errors };
}

export function clusterQueryString(query: ClusterQuery): string {
  const params = new URLSearchParams({ days: String(query.days), ecs: String(query.ecs) });
  if (query.connection) params.set("connection", query.connection);
  if (query.runner) params.set("runner", "1");
  if (query.currency) params.set("currency", query.currency);
  return params.toString();
}
