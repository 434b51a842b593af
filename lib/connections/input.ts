import type { ParsedCredentialsInput } from "@/lib/validations/connection";
import { targetFromKubeconfig } from "./kubeconfig";
import { ok, type ConnectionTarget, type Result } from "./target";

/**
 * The connection a form describes. Skipping TLS verification is only ever the form's explicit
 * choice: a kubeconfig's insecure-skip-tls-verify is not silently carried over.
 */
export function targetFromInput(input: ParsedCredentialsInput): Result<ConnectionTarget> {
  switch (input.method) {
    case "kubeconfig": {
      const result = targetFromKubeconfig(input.kubeconfig, input.context);
      if (!result.ok) return result;
      return ok({ ...result.value, skipTlsVerify: input.skipTlsVerify });
    }
    case "token":
      return ok({
        server: input.server,
        skipTlsVerify: input.skipTlsVerify,
        authType: "token",
        credentials: { token: input.token, ...(input.caCertificate ? { caCertificate: input.caCertificate } : {}) },
      });
    case "certificate":
      return ok({
        server: input.server,
        skipTlsVerify: input.skipTlsVerify,
        authType: "client-certificate",
        credentials: {
          clientCertificate: input.clientCertificate + "\n",
          clientKey: input.clientKey + "\n",
          ...(input.caCertificate ? { caCertificate: input.caCertificate } : {}),
        },
      });
  }
}
