import {
  costQueryToSearchParams,
  parseCostQuery,
  type CostQueryField,
  type CostQueryResult,
} from "@/lib/cost/validation";
import { formatSpecCompact } from "@ask-ci/billing/eci/specs";

/** The /cost query fields in the order the form shows them. */
export const COST_FIELDS = [
  "vcpu",
  "mem",
  "minutes",
  "jobs",
  "ecs",
  "days",
  "site",
  "region",
  "acsclass",
  "runner",
  "economy",
  "spot",
  "spotlimit",
  "nas",
  "imagecache",
] as const satisfies readonly CostQueryField[];

export type CostFormValues = Record<CostQueryField, string>;

type RawParams = Record<string, string | string[] | undefined>;

function firstText(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === "" ? undefined : first;
}

const DEFAULTS = (() => {
  const parsed = parseCostQuery({});
  if (!parsed.success) throw new Error("The cost query defaults do not validate");
  return costQueryToSearchParams(parsed.data);
})();

/**
 * What the form fields show: what the URL says (bad values too, so the user sees what to fix),
 * else the defaults. A valid runner/economy is shown in its canonical form (runner=1 → 0.25-0.5Gi).
 */
export function costFormValues(raw: RawParams, parsed: CostQueryResult): CostFormValues {
  const values = Object.fromEntries(
    COST_FIELDS.map((field) => [field, firstText(raw[field]) ?? DEFAULTS.get(field) ?? ""]),
  ) as CostFormValues;
  if (parsed.success) {
    values.runner = parsed.data.runner ? formatSpecCompact(parsed.data.runner) : "";
    values.economy = parsed.data.economy ? "1" : "";
  }
  return values;
}

/** The query string for the form's values; empty optional fields are left out. */
export function costFormSearchParams(values: CostFormValues): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of COST_FIELDS) {
    const value = values[field].trim();
    if (value !== "") params.set(field, value);
  }
  return params;
}
