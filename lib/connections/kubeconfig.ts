import { parseDocument } from "yaml";
import { z } from "zod";
import { problem } from "./problems";
import { fail, ok, type ConnectionTarget, type Result } from "./target";

/** Real kubeconfigs are a few KiB; the limit keeps a mistaken paste (a log, a binary) out. */
export const MAX_KUBECONFIG_BYTES = 256 * 1024;

const clusterSchema = z
  .object({
    server: z.string().optional(),
    "certificate-authority-data": z.string().optional(),
    "certificate-authority": z.string().optional(),
    "insecure-skip-tls-verify": z.boolean().optional(),
    "tls-server-name": z.string().optional(),
  })
  .passthrough();

const userSchema = z
  .object({
    token: z.string().optional(),
    tokenFile: z.string().optional(),
    "client-certificate-data": z.string().optional(),
    "client-key-data": z.string().optional(),
    "client-certificate": z.string().optional(),
    "client-key": z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    exec: z.unknown().optional(),
    "auth-provider": z.unknown().optional(),
  })
  .passthrough();

const contextSchema = z
  .object({ cluster: z.string().optional(), user: z.string().optional(), namespace: z.string().optional() })
  .passthrough();

const kubeconfigSchema = z
  .object({
    clusters: z.array(z.object({ name: z.string().min(1), cluster: clusterSchema.optional() })).nullish(),
    users: z.array(z.object({ name: z.string().min(1), user: userSchema.optional() })).nullish(),
    contexts: z.array(z.object({ name: z.string().min(1), context: contextSchema.optional() })).nullish(),
    "current-context": z.string().nullish(),
  })
  .passthrough();

type Kubeconfig = z.infer<typeof kubeconfigSchema>;
type KubeCluster = z.infer<typeof clusterSchema>;
type KubeUser = z.infer<typeof userSchema>;

export interface KubeconfigContext {
  name: string;
  cluster: string;
  user: string;
  namespace: string | null;
  server: string | null;
}

export interface KubeconfigSummary {
  contexts: KubeconfigContext[];
  currentContext: string | null;
}

/** Parses kubeconfig text (YAML or JSON) and lists its contexts; no credential leaves this function. */
export function summarizeKubeconfig(text: string): Result<KubeconfigSummary> {
  const parsed = parseKubeconfig(text);
  if (!parsed.ok) return parsed;
  const config = parsed.value;
  const contexts = (config.contexts ?? []).map((entry) => {
    const cluster = entry.context?.cluster ?? "";
    return {
      name: entry.name,
      cluster,
      user: entry.context?.user ?? "",
      namespace: entry.context?.namespace ?? null,
      server: config.clusters?.find((c) => c.name === cluster)?.cluster?.server ?? null,
    };
  });
  if (contexts.length === 0) return fail(problem("noContexts", undefined, "kubeconfig"));
  const current = config["current-context"];
  return ok({ contexts, currentContext: current && contexts.some((c) => c.name === current) ? current : null });
}

/**
 * The connection a kubeconfig context describes. `context` defaults to current-context, or to the
 * only context. File references (certificate-authority: /path) are refused: a pasted kubeconfig's
 * paths point at the user's machine, not ours; `kubectl config view --raw --minify --flatten` inlines them.
 */
export function targetFromKubeconfig(text: string, context?: string | null): Result<ConnectionTarget> {
  const parsed = parseKubeconfig(text);
  if (!parsed.ok) return parsed;
  const config = parsed.value;
  const contexts = config.contexts ?? [];
  if (contexts.length === 0) return fail(problem("noContexts", undefined, "kubeconfig"));

  const wanted = context?.trim() || config["current-context"] || (contexts.length === 1 ? contexts[0].name : null);
  if (!wanted) return fail(problem("contextRequired", { count: contexts.length }, "context"));
  const chosen = contexts.find((entry) => entry.name === wanted);
  if (!chosen) return fail(problem("contextNotFound", { context: wanted }, "context"));

  const clusterName = chosen.context?.cluster ?? "";
  const cluster = config.clusters?.find((entry) => entry.name === clusterName)?.cluster;
  if (!cluster?.server) return fail(problem("clusterNotFound", { cluster: clusterName }, "kubeconfig"));
  const userName = chosen.context?.user ?? "";
  const user = config.users?.find((entry) => entry.name === userName)?.user;
  if (!user) return fail(problem("userNotFound", { user: userName }, "kubeconfig"));

  const clusterResult = clusterPart(cluster);
  if (!clusterResult.ok) return clusterResult;
  const userResult = userPart(user);
  if (!userResult.ok) return userResult;
  return ok({
    server: cluster.server.trim(),
    skipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
    authType: userResult.value.authType,
    credentials: { ...clusterResult.value, ...userResult.value.credentials },
  });
}

function parseKubeconfig(text: string): Result<Kubeconfig> {
  if (utf8Length(text) > MAX_KUBECONFIG_BYTES) {
    return fail(problem("tooLarge", { limitKiB: MAX_KUBECONFIG_BYTES / 1024 }, "kubeconfig"));
  }
  // maxAliasCount guards against alias bombs ("billion laughs").
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line;
    return fail(problem("malformedYaml", { line: line ?? "?", detail: error.code }, "kubeconfig"));
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 50 });
  } catch {
    return fail(problem("malformedYaml", { line: "?", detail: "ALIAS" }, "kubeconfig"));
  }
  const parsed = kubeconfigSchema.safeParse(value);
  if (!parsed.success || (parsed.data.kind !== undefined && parsed.data.kind !== "Config")) {
    return fail(problem("notKubeconfig", undefined, "kubeconfig"));
  }
  return ok(parsed.data);
}

function clusterPart(cluster: KubeCluster): Result<{ caCertificate?: string; tlsServerName?: string }> {
  if (cluster["certificate-authority"] && !cluster["certificate-authority-data"]) {
    return fail(problem("fileReference", { field: "certificate-authority" }, "kubeconfig"));
  }
  const ca = cluster["certificate-authority-data"];
  return ok({
    ...(ca ? { caCertificate: decodeBase64(ca) } : {}),
    ...(cluster["tls-server-name"] ? { tlsServerName: cluster["tls-server-name"] } : {}),
  });
}

function userPart(user: KubeUser): Result<Pick<ConnectionTarget, "authType" | "credentials">> {
  if (user.exec) return fail(problem("execUnsupported", undefined, "kubeconfig"));
  if (user["auth-provider"]) return fail(problem("authProviderUnsupported", undefined, "kubeconfig"));
  if (user.token) return ok({ authType: "token", credentials: { token: user.token.trim() } });
  if (user.tokenFile) return fail(problem("fileReference", { field: "tokenFile" }, "kubeconfig"));
  const certificate = user["client-certificate-data"];
  const key = user["client-key-data"];
  if (certificate && key) {
    return ok({
      authType: "client-certificate",
      credentials: { clientCertificate: decodeBase64(certificate), clientKey: decodeBase64(key) },
    });
  }
  for (const field of ["client-certificate", "client-key"] as const) {
    if (user[field]) return fail(problem("fileReference", { field }, "kubeconfig"));
  }
  if (user.username || user.password) return fail(problem("basicAuthUnsupported", undefined, "kubeconfig"));
  return fail(problem("noCredentials", undefined, "kubeconfig"));
}

function decodeBase64(text: string): string {
  return Buffer.from(text.replace(/\s+/g, ""), "base64").toString("utf8");
}

/** Byte length as stored; TextEncoder rather than Buffer so the form can use this module too. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
