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

export function boolParam(url: URL, name: string): boolean {
  const v = q(url, name);
  return v === "1" || v === "true";
}

export function intParam(url: URL, name: string): number | undefined {
  const v = q(url, name);
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${v}`);
  return n;
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
    force: boolParam(url, "force"),
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
  const orphan = body.orphanDependents === true || q(url, "orphanDependents") === "true";
  return {
    gracePeriodSeconds: grace,
    propagationPolicy: (policy ?? (orphan ? "Orphan" : undefined)) as DeleteOptions["propagationPolicy"],
    preconditions: body.preconditions as DeleteOptions["preconditions"],
    dryRun,
  };
}
