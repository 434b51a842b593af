import type { Caller, ScopeNeed } from "./auth";
import { ApiError } from "./errors";
import type { CiEngine } from "./ci-engine";
import type { Entities } from "./entities";
import type { ApiRequest } from "./http";
import type { Instance } from "./instance";
import type { Store } from "./store";
import type { RunnerQueue } from "./runner-queue";
import type { Webhooks } from "./webhooks";

/** What every route module is given: the records, the CI engine and how to present and authenticate. */
export interface GitlabContext {
  store: Store;
  instance: Instance;
  entities: Entities;
  ci: CiEngine;
  queue: RunnerQueue;
  hooks: Webhooks;
  now: () => number;
  authenticate(req: ApiRequest, need: ScopeNeed): Caller;
  apiUrl: string;
}

/** Grape-style parameter readers: missing → `{"error": "x is missing"}`, wrong type → "x is invalid". */
export function stringParam(input: Record<string, unknown>, name: string, required: true): string;
export function stringParam(input: Record<string, unknown>, name: string, required?: false): string | undefined;
export function stringParam(input: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === "") {
    if (required) throw new ParamError(`${name} is missing`);
    return undefined;
  }
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    throw new ParamError(`${name} is invalid`);
  }
  return String(value);
}

export function boolParam(input: Record<string, unknown>, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (value === true || value === "true" || value === "1" || value === 1) return true;
  if (value === false || value === "false" || value === "0" || value === 0) return false;
  throw new ParamError(`${name} is invalid`);
}

export function intParam(input: Record<string, unknown>, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "number" ? value : /^-?\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new ParamError(`${name} is invalid`);
  return n;
}

/** Arrays as Grape coerces them: JSON arrays, `a[]=x` form fields, or comma-separated strings. */
export function listParam(input: Record<string, unknown>, name: string): string[] | undefined {
  const value = input[name] ?? input[`${name}[]`];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).filter((s) => s !== "");
  if (typeof value === "string")
    return value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  throw new ParamError(`${name} is invalid`);
}

export class ParamError extends ApiError {
  constructor(error: string) {
    super(400, { error });
  }
}
