import type { ConnectionAuthType } from "./dto";
import type { ConnectionProblem } from "./problems";

/** The secret part of a connection: stored only inside an encryption envelope. */
export interface ConnectionCredentials {
  token?: string;
  /** PEM */
  clientCertificate?: string;
  /** PEM */
  clientKey?: string;
  /** PEM; absent means the system trust store. */
  caCertificate?: string;
  tlsServerName?: string;
}

/** Everything needed to reach a cluster, however it was entered (kubeconfig, token, certificate). */
export interface ConnectionTarget {
  server: string;
  skipTlsVerify: boolean;
  authType: ConnectionAuthType;
  credentials: ConnectionCredentials;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problem: ConnectionProblem };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(problem: ConnectionProblem): Result<T> => ({ ok: false, problem });
