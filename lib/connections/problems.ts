/**
 * Everything that can be wrong with connection input or with reaching a cluster, as a code the form
 * translates (lib/i18n/messages/<locale>/clusters.json, key `clusters.problems.<code>`) plus
 * placeholders. Details never include credentials.
 */
export type ConnectionProblemCode =
  | "tooLarge"
  | "malformedYaml"
  | "notKubeconfig"
  | "noContexts"
  | "contextRequired"
  | "contextNotFound"
  | "clusterNotFound"
  | "userNotFound"
  | "execUnsupported"
  | "authProviderUnsupported"
  | "basicAuthUnsupported"
  | "noCredentials"
  | "fileReference"
  | "invalidUrl"
  | "notHttps"
  | "invalidCaCertificate"
  | "invalidClientCertificate"
  | "invalidClientKey"
  | "keyMismatch"
  | "certificateExpired"
  | "certificateNotYetValid"
  | "unreachable"
  | "timeout"
  | "tlsUntrusted"
  | "tlsCertificateExpired"
  | "tlsHostnameMismatch"
  | "tlsFailed"
  | "unauthorized"
  | "forbidden"
  | "notKubernetes"
  | "serverError"
  | "nameTaken"
  | "notFound"
  | "decryptionFailed";

export interface ConnectionProblem {
  code: ConnectionProblemCode;
  /** Values for the message placeholders, e.g. { context: "prod" }. */
  params?: Record<string, string | number>;
  /** The form field the problem belongs to, when there is one. */
  field?: string;
}

export class ConnectionProblemError extends Error {
  constructor(readonly problem: ConnectionProblem) {
    super(`${problem.code}${problem.params ? ` ${JSON.stringify(problem.params)}` : ""}`);
    this.name = "ConnectionProblemError";
  }
}

export function problem(
  code: ConnectionProblemCode,
  params?: ConnectionProblem["params"],
  field?: string,
): ConnectionProblem {
  return { code, ...(params ? { params } : {}), ...(field ? { field } : {}) };
}
