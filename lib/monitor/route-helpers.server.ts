import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { apiStatusMessage, errorStatus } from "@/lib/kube/api-error";
import { resolveConnection } from "@/lib/connections/kube-client.server";
import type { ConnectionDto } from "@/lib/connections/dto";
import { issuesByField, podRefSchema, searchParamsObject } from "./validation";

export function jsonError(status: number, error: string, fields?: Record<string, string>): NextResponse {
  return NextResponse.json(fields ? { error, fields } : { error }, { status });
}

/** Query parameters through a zod schema: the data, or a 422 naming each bad field. */
export function parseQuery<S extends z.ZodType>(
  request: Request,
  schema: S,
): { data: z.infer<S>; error?: never } | { data?: never; error: NextResponse } {
  const parsed = schema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return { error: jsonError(422, "Invalid query", issuesByField(parsed.error)) };
  return { data: parsed.data };
}

/** The connection named by ?cluster=, else the default one; 404 JSON when there is none. */
export async function monitorConnection(
  cluster: string | undefined,
): Promise<{ connection: ConnectionDto; error?: never } | { connection?: never; error: NextResponse }> {
  const connection = await resolveConnection(cluster);
  if (connection) return { connection };
  return {
    error: jsonError(404, cluster ? `No cluster connection named "${cluster}"` : "No cluster is connected yet"),
  };
}

type Answer<T> = (T & { error?: never }) | { error: NextResponse };

/** The query through `schema` and the connection it names (?cluster=, else the default), or the 422/404 answer. */
export async function monitorTarget<S extends z.ZodType<{ cluster?: string }>>(
  request: Request,
  schema: S,
): Promise<Answer<{ query: z.infer<S>; connection: ConnectionDto }>> {
  const query = parseQuery(request, schema);
  if (query.error) return { error: query.error };
  const resolved = await monitorConnection(query.data.cluster);
  if (resolved.error) return { error: resolved.error };
  return { query: query.data, connection: resolved.connection };
}

/** monitorTarget for a pod route: the pod named by the route's params too (422 when they are not a pod name). */
export async function monitorPodTarget<S extends z.ZodType<{ cluster?: string }>>(
  request: Request,
  params: Promise<{ namespace: string; name: string }>,
  schema: S,
): Promise<Answer<{ pod: z.infer<typeof podRefSchema>; query: z.infer<S>; connection: ConnectionDto }>> {
  const ref = podRefSchema.safeParse(await params);
  if (!ref.success) return { error: jsonError(422, "Invalid pod", issuesByField(ref.error)) };
  const target = await monitorTarget(request, schema);
  if (target.error) return target;
  return { pod: ref.data, query: target.query, connection: target.connection };
}

/**
 * A failed Kubernetes call as JSON: the API's own status for 403/404/409/422, 502 for anything
 * else (the cluster, not this server, failed). The message is the API's, never a stack trace.
 */
export function kubeErrorResponse(error: unknown): NextResponse {
  const e = error as { statusCode?: number; message?: string } | null;
  const status = errorStatus(error) ?? e?.statusCode;
  const message =
    apiStatusMessage(error) ??
    (typeof status !== "number" && e?.message
      ? `The cluster did not answer: ${e.message.split("\n")[0]}`
      : "The cluster did not answer");
  if (status === 401 || status === 403) return jsonError(403, `The cluster refused: ${message}`);
  if (status === 404) return jsonError(404, message);
  if (status === 409 || status === 422 || status === 400) return jsonError(status, message);
  return jsonError(502, message);
}
