import Decimal from "decimal.js";
import { toCsv } from "@/lib/csv";
import type { JobHistoryRow } from "./list";

/**
 * The FinOps FOCUS columns we fill, in the specification's (alphabetical) order: the FOCUS 1.0
 * column set (https://focus.finops.org/focus-specification/v1-0/), plus x_-prefixed columns of our
 * own as FOCUS allows. One row per finished job pod, ChargeCategory "Usage".
 */
export const FOCUS_COLUMNS = [
  "AvailabilityZone",
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargeFrequency",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "CommitmentDiscountCategory",
  "CommitmentDiscountId",
  "CommitmentDiscountName",
  "CommitmentDiscountStatus",
  "CommitmentDiscountType",
  "ConsumedQuantity",
  "ConsumedUnit",
  "ContractedCost",
  "ContractedUnitPrice",
  "EffectiveCost",
  "InvoiceIssuerName",
  "ListCost",
  "ListUnitPrice",
  "PricingCategory",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "RegionId",
  "RegionName",
  "ResourceId",
  "ResourceName",
  "ResourceType",
  "ServiceCategory",
  "ServiceName",
  "SkuId",
  "SkuPriceId",
  "SubAccountId",
  "SubAccountName",
  "Tags",
  "x_ClusterConnection",
  "x_CostSource",
  "x_VCpu",
  "x_MemoryGiB",
] as const;

export interface FocusContext {
  /** The cluster connection's name (x_ClusterConnection). */
  connectionName: string;
  /** The connection's price region ("default" = unknown: RegionId left empty). */
  region: string;
}

const PROVIDER = "Alibaba Cloud";

function isoSeconds(value: string | Date): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The calendar month (UTC) a charge falls in: Alibaba invoices monthly. */
function billingPeriod(finishedAt: string): { start: string; end: string } {
  const at = new Date(finishedAt);
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { start: isoSeconds(start), end: isoSeconds(end) };
}

/** One FOCUS row for a finished job: our estimate of the charge, not Alibaba's invoice line. */
export function focusRow(
  row: JobHistoryRow,
  context: FocusContext,
): Record<(typeof FOCUS_COLUMNS)[number], string | number | null> {
  const acs = row.backend === "acs";
  const service = acs ? "Container Compute Service" : "Elastic Container Instance";
  const sku = acs ? `acs.${row.computeClass ?? "general-purpose"}.${row.qos ?? "default"}` : "eci.vcpu-memory";
  const period = billingPeriod(row.finishedAt);
  const cost = new Decimal(row.cost);
  const unitPrice = row.billedSeconds > 0 ? cost.dividedBy(row.billedSeconds).toSignificantDigits(12).toString() : null;
  const tags: Record<string, string> = {};
  if (row.projectPath) tags["gitlab.project"] = row.projectPath;
  if (row.jobName) tags["gitlab.job"] = row.jobName;
  if (row.jobId) tags["gitlab.job_id"] = row.jobId;
  if (row.pipelineRef) tags["gitlab.ref"] = row.pipelineRef;
  if (row.runnerName) tags["gitlab.runner"] = row.runnerName;
  tags["kubernetes.namespace"] = row.namespace;
  return {
    AvailabilityZone: null,
    BilledCost: row.cost,
    BillingAccountId: null,
    BillingAccountName: null,
    BillingCurrency: row.currency,
    BillingPeriodEnd: period.end,
    BillingPeriodStart: period.start,
    ChargeCategory: "Usage",
    ChargeClass: null,
    ChargeDescription: `${acs ? `ACS ${row.computeClass ?? ""} ${row.qos ?? ""}`.trim() : "ECI"} pod ${row.vcpu} vCPU / ${row.memoryGiB} GiB for ${row.billedSeconds} s`,
    ChargeFrequency: "Usage-Based",
    ChargePeriodEnd: isoSeconds(row.finishedAt),
    ChargePeriodStart: isoSeconds(row.startedAt ?? row.createdAt),
    CommitmentDiscountCategory: null,
    CommitmentDiscountId: null,
    CommitmentDiscountName: null,
    CommitmentDiscountStatus: null,
    CommitmentDiscountType: null,
    ConsumedQuantity: row.billedSeconds,
    ConsumedUnit: "Seconds",
    ContractedCost: row.cost,
    ContractedUnitPrice: unitPrice,
    EffectiveCost: row.cost,
    InvoiceIssuerName: PROVIDER,
    ListCost: row.cost,
    ListUnitPrice: unitPrice,
    PricingCategory: "Standard",
    PricingQuantity: row.billedSeconds,
    PricingUnit: "Seconds",
    ProviderName: PROVIDER,
    PublisherName: PROVIDER,
    RegionId: context.region === "default" ? null : context.region,
    RegionName: null,
    ResourceId: row.podUid,
    ResourceName: `${row.namespace}/${row.podName}`,
    ResourceType: acs ? "ACS Pod" : "ECI Pod",
    ServiceCategory: "Compute",
    ServiceName: service,
    SkuId: sku,
    SkuPriceId: null,
    SubAccountId: null,
    SubAccountName: null,
    Tags: JSON.stringify(tags),
    x_ClusterConnection: context.connectionName,
    x_CostSource:
      row.source === "gitlab"
        ? "ask-ci estimate from GitLab's job times"
        : row.source === "demo-seed"
          ? "ask-ci demo: seeded history, not a real job"
          : "ask-ci estimate from the pod",
    x_VCpu: row.vcpu,
    x_MemoryGiB: row.memoryGiB,
  };
}

/** The history rows as a FOCUS CSV (RFC 4180, CRLF, every cell formula-safe). */
export function focusCsv(rows: readonly JobHistoryRow[], context: FocusContext): string {
  const lines = rows.map((row) => {
    const values = focusRow(row, context);
    return FOCUS_COLUMNS.map((column) => values[column]);
  });
  return toCsv([[...FOCUS_COLUMNS], ...lines]);
}
