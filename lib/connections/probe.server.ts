import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { checkTargetOffline } from "./certificates";
import { kubeConfigFromTarget } from "./kube-client.server";
import { KubeRequestError, kubeRequest, type KubeResponse } from "./kube-request.server";
import {
  accessQuestions,
  buildPermissionReport,
  questionKey,
  type AccessAnswer,
  type AccessQuestion,
  type PermissionReport,
} from "./permissions";
import { problem, type ConnectionProblem } from "./problems";
import type { HealthRecord } from "./store.server";
import { fail, ok, type ConnectionTarget, type Result } from "./target";

export interface ConnectionTestReport {
  server: string;
  serverVersion: string;
  platform: string | null;
  latencyMs: number;
  tlsVerified: boolean;
  caFingerprint: string | null;
  namespaces: { visible: boolean; names: string[]; total: number };
  permissions: PermissionReport;
}

export const DEFAULT_NAMESPACE = "gitlab-runner";
const NAMESPACE_LIST_LIMIT = 200;
const REVIEW_CONCURRENCY = 8;

/**
 * Everything the "Test connection" button shows: version, latency, TLS, visible namespaces and
 * the permission report. Any failure is a ConnectionProblem naming what to fix.
 */
export async function testTarget(
  target: ConnectionTarget,
  options: { namespace?: string; timeoutMs?: number } = {},
): Promise<Result<ConnectionTestReport>> {
  const offline = checkTargetOffline(target);
  if (!offline.ok) return offline;
  const config = kubeConfigFromTarget(target);
  const namespace = options.namespace || DEFAULT_NAMESPACE;
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    const version = await fetchVersion(config, timeoutMs);
    if (!version.ok) return version;
    await checkAuthenticated(config, namespace, timeoutMs);
    const [username, namespaces, answers, canEscalate] = await Promise.all([
      whoAmI(config, timeoutMs),
      listNamespaces(config, timeoutMs),
      reviewAll(config, accessQuestions(namespace), timeoutMs),
      review(config, { group: "rbac.authorization.k8s.io", resource: "roles", verb: "escalate", namespace }, timeoutMs),
    ]);
    return ok({
      server: target.server,
      serverVersion: version.value.gitVersion,
      platform: version.value.platform,
      latencyMs: version.value.latencyMs,
      tlsVerified: !target.skipTlsVerify,
      caFingerprint: offline.value.caFingerprint,
      namespaces,
      permissions: buildPermissionReport({ namespace, username, answers, canEscalate: canEscalate === "allowed" }),
    });
  } catch (error) {
    if (error instanceof KubeRequestError) return fail(error.problem);
    throw error;
  }
}

/** Reachable and authenticated: what saving a connection and the list's health check require. */
export async function probeHealth(
  target: ConnectionTarget,
  timeoutMs = 8_000,
): Promise<Result<{ serverVersion: string; latencyMs: number }>> {
  const offline = checkTargetOffline(target);
  if (!offline.ok) return offline;
  const config = kubeConfigFromTarget(target);
  try {
    const version = await fetchVersion(config, timeoutMs);
    if (!version.ok) return version;
    await checkAuthenticated(config, DEFAULT_NAMESPACE, timeoutMs);
    return ok({ serverVersion: version.value.gitVersion, latencyMs: version.value.latencyMs });
  } catch (error) {
    if (error instanceof KubeRequestError) return fail(error.problem);
    throw error;
  }
}

export function healthRecordOf(
  result: Result<{ serverVersion: string; latencyMs: number }>,
  checkedAt = new Date(),
): HealthRecord {
  return result.ok
    ? {
        checkedAt,
        healthy: true,
        error: null,
        serverVersion: result.value.serverVersion,
        latencyMs: result.value.latencyMs,
      }
    : { checkedAt, healthy: false, error: result.problem.code, serverVersion: null, latencyMs: null };
}

async function fetchVersion(config: KubeConfig, timeoutMs: number) {
  const response = await kubeRequest(config, { path: "/version", timeoutMs });
  const status = statusProblem(response);
  if (status) return fail<never>(status);
  const body = response.body as { gitVersion?: unknown; platform?: unknown } | null;
  if (response.status !== 200 || typeof body?.gitVersion !== "string")
    return fail<never>(problem("notKubernetes", undefined, "server"));
  return ok({
    gitVersion: body.gitVersion,
    platform: typeof body.platform === "string" ? body.platform : null,
    latencyMs: response.latencyMs,
  });
}

/**
 * /version is often open to anonymous users, so it does not prove the credentials work. Every
 * authenticated user may create access reviews, so one is the authentication check.
 */
async function checkAuthenticated(config: KubeConfig, namespace: string, timeoutMs: number): Promise<void> {
  const response = await postReview(config, { group: "", resource: "pods", verb: "list", namespace }, timeoutMs);
  const status = statusProblem(response);
  if (status) throw new KubeRequestError(status);
}

async function whoAmI(config: KubeConfig, timeoutMs: number): Promise<string | null> {
  const response = await kubeRequest(config, {
    method: "POST",
    path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
    body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    timeoutMs,
  });
  // Older clusters (before 1.28) have no SelfSubjectReview: the RBAC YAML then asks for the user.
  const username = (response.body as { status?: { userInfo?: { username?: unknown } } } | null)?.status?.userInfo
    ?.username;
  return response.status < 300 && typeof username === "string" ? username : null;
}

async function listNamespaces(config: KubeConfig, timeoutMs: number): Promise<ConnectionTestReport["namespaces"]> {
  const response = await kubeRequest(config, { path: `/api/v1/namespaces?limit=${NAMESPACE_LIST_LIMIT}`, timeoutMs });
  if (response.status !== 200) return { visible: false, names: [], total: 0 };
  const body = response.body as {
    items?: { metadata?: { name?: string } }[];
    metadata?: { remainingItemCount?: number };
  } | null;
  const names = (body?.items ?? [])
    .map((item) => item.metadata?.name)
    .filter((name): name is string => typeof name === "string");
  return { visible: true, names, total: names.length + (body?.metadata?.remainingItemCount ?? 0) };
}

/**
 * Whether the credentials may list and watch pods in every namespace (the job recorder then needs
 * one watch per cluster, wherever runners put their jobs). "unknown" when the review itself failed.
 */
export async function podWatchEverywhere(config: KubeConfig, timeoutMs = 10_000): Promise<AccessAnswer> {
  try {
    const answers = await Promise.all(
      (["list", "watch"] as const).map((verb) => review(config, { group: "", resource: "pods", verb }, timeoutMs)),
    );
    if (answers.every((answer) => answer === "allowed")) return "allowed";
    return answers.includes("denied") ? "denied" : "unknown";
  } catch {
    return "unknown";
  }
}

async function reviewAll(
  config: KubeConfig,
  questions: AccessQuestion[],
  timeoutMs: number,
): Promise<Map<string, AccessAnswer>> {
  const answers = new Map<string, AccessAnswer>();
  const queue = [...questions];
  const worker = async () => {
    for (let question = queue.shift(); question; question = queue.shift()) {
      answers.set(questionKey(question), await review(config, question, timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: REVIEW_CONCURRENCY }, worker));
  return answers;
}

async function review(config: KubeConfig, question: AccessQuestion, timeoutMs: number): Promise<AccessAnswer> {
  const response = await postReview(config, question, timeoutMs);
  if (response.status !== 200 && response.status !== 201) return "unknown";
  return (response.body as { status?: { allowed?: boolean } } | null)?.status?.allowed === true ? "allowed" : "denied";
}

function postReview(config: KubeConfig, question: AccessQuestion, timeoutMs: number): Promise<KubeResponse> {
  return kubeRequest(config, {
    method: "POST",
    path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    body: {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: question },
    },
    timeoutMs,
  });
}

function statusProblem(response: KubeResponse): ConnectionProblem | null {
  if (response.status === 401) return problem("unauthorized");
  if (response.status === 403) return problem("forbidden");
  if (response.status >= 500) return problem("serverError", { status: response.status });
  return null;
}
