/** Query parameters and the write/delete options they carry. */
import type { IncomingMessage } from "node:http";
import { ApiError, badRequest } from "../errors";
import { isPlainObject } from "../merge";
import type { FieldValidation, WriteOptions } from "../store";
import { parseJson, readBody } from "./wire";

export function q(url: URL, name: string): string | undefined {
  const v = url.searchParams.get(name);
  return v === null ? undefined : v;
}

/**
 * A boolean query parameter as kube-apiserver's parameter codec reads one (apimachinery
 * pkg/runtime/conversion.go Convert_Slice_string_To_bool): absent is false; "0" and "false" in
 * any case are false; anything else, the empty string and "True" (the Python client's `watch=True`)
 * included, is true. It is not strconv.ParseBool: "yes" is true here, where ParseBool would fail.
 */
export function boolParam(url: URL, name: string): boolean {
  return optionalBoolParam(url, name) ?? false;
}

/** The same rule for a *bool field (sendInitialEvents, force): undefined when absent. */
export function optionalBoolParam(url: URL, name: string): boolean | undefined {
  const v = q(url, name);
  if (v === undefined) return undefined;
  return !(v === "0" || v.toLowerCase() === "false");
}

const INT64_MAX = 2n ** 63n - 1n;

/**
 * An integer query parameter as the codec reads one (strconv.ParseInt(s, 10, 64)): an optional
 * sign and decimal digits, within int64; anything else, an empty value included, is a 400.
 */
export function intParam(url: URL, name: string): number | undefined {
  const v = q(url, name);
  if (v === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n > INT64_MAX || n < -INT64_MAX - 1n)
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(n);
}

export function writeOptions(url: URL, req: IncomingMessage): WriteOptions {
  const dryRun = url.searchParams.getAll("dryRun");
  for (const d of dryRun)
    if (d !== "All") throw badRequest(`Invalid dryRun value: ${JSON.stringify(d)}: supported values: "All"`);
  const fv = q(url, "fieldValidation");
  if (fv !== undefined && !["Strict", "Warn", "Ignore"].includes(fv)) {
    throw badRequest(
      `Invalid value: ${JSON.stringify(fv)}: fieldValidation must be one of "Ignore", "Warn", or "Strict"`,
    );
  }
  const ua = String(req.headers["user-agent"] ?? "unknown");
  return {
    dryRun: dryRun.length > 0,
    fieldManager: q(url, "fieldManager") || ua.split("/")[0] || "unknown",
    fieldValidation: (fv as FieldValidation | undefined) ?? "Warn",
    force: optionalBoolParam(url, "force") ?? false,
    warnings: [],
  };
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

/** DeleteOptions from the query and the (optional) JSON body, the query winning as in kube-apiserver. */
export async function deleteOptions(req: IncomingMessage, url: URL, maxBody: number): Promise<DeleteOptions> {
  const buf = await readBody(req, maxBody);
  let body: Record<string, unknown> = {};
  if (buf.length) {
    const parsed = parseJson(buf, "");
    if (isPlainObject(parsed)) body = parsed;
  }
  const policy = (q(url, "propagationPolicy") ?? body.propagationPolicy) as string | undefined;
  if (policy !== undefined && !["Background", "Foreground", "Orphan"].includes(policy)) {
    throw new ApiError(
      422,
      "Invalid",
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`,
      {
        group: "meta.k8s.io",
        kind: "DeleteOptions",
        causes: [
          {
            type: "FieldValueNotSupported",
            field: "propagationPolicy",
            message: `Unsupported value: ${JSON.stringify(policy)}`,
          },
        ],
      },
    );
  }
  const grace =
    intParam(url, "gracePeriodSeconds") ??
    (typeof body.gracePeriodSeconds === "number" ? body.gracePeriodSeconds : undefined);
  const dryRun = url.searchParams.getAll("dryRun").length > 0 || (Array.isArray(body.dryRun) && body.dryRun.length > 0);
  const orphan = body.orphanDependents === true || optionalBoolParam(url, "orphanDependents") === true;
  return {
    gracePeriodSeconds: grace,
    propagationPolicy: (policy ?? (orphan ? "Orphan" : undefined)) as DeleteOptions["propagationPolicy"],
    preconditions: body.preconditions as DeleteOptions["preconditions"],
    dryRun,
  };
}
