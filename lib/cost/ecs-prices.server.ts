import "server-only";
import Decimal from "decimal.js";
import { z } from "zod";
import { db } from "@/lib/db.server";
import { CURRENCIES, type CurrencyCode } from "@/lib/cost/money";

const MAX_MONTHLY = new Decimal(10_000_000);

const optionalWholeNumber = (label: string, max: number) =>
  z.preprocess(
    (value) => (value === "" || value === null || value === undefined ? null : value),
    z.coerce
      .number({ message: `${label} must be a whole number` })
      .int(`${label} must be a whole number`)
      .min(1, `${label} must be at least 1`)
      .max(max, `${label} must be at most ${max}`)
      .nullable(),
  );

/** A prepaid ECS instance price entered in Settings (EcsPrice row); the form and the action share it. */
export const ecsPriceSchema = z.object({
  name: z.string().trim().min(1, "Give the instance a name").max(64, "A name has at most 64 characters"),
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z0-9]+)+$/, "Region must be an id such as cn-hangzhou")
    .default("cn-hangzhou"),
  currency: z.enum(Object.keys(CURRENCIES) as [CurrencyCode, ...CurrencyCode[]], {
    message: "Currency must be CNY or USD",
  }),
  monthlyPrice: z.union([z.string(), z.number()]).transform((value, ctx) => {
    const text = String(value).trim();
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) {
      ctx.addIssue({ code: "custom", message: "The monthly price must be a number, e.g. 139" });
      return z.NEVER;
    }
    const price = new Decimal(text);
    if (price.isZero() || price.greaterThan(MAX_MONTHLY)) {
      ctx.addIssue({ code: "custom", message: `The monthly price must be more than 0 and at most ${MAX_MONTHLY}` });
      return z.NEVER;
    }
    return price.toFixed();
  }),
  vcpu: optionalWholeNumber("vCPU", 1024),
  memoryGiB: optionalWholeNumber("Memory", 16384),
});

export type EcsPriceInput = z.input<typeof ecsPriceSchema>;

export interface EcsPriceDto {
  id: string;
  name: string;
  region: string;
  currency: CurrencyCode;
  monthlyPrice: string;
  vcpu: number | null;
  memoryGiB: number | null;
  updatedAt: string;
}

export async function listEcsPrices(): Promise<EcsPriceDto[]> {
  const rows = await db.ecsPrice.findMany({ orderBy: [{ currency: "asc" }, { name: "asc" }] });
  return rows.map((row) => ({
    ...row,
    currency: row.currency as CurrencyCode,
    updatedAt: row.updatedAt.toISOString(),
  }));
}

export async function findEcsPrice(id: string): Promise<{ id: string; name: string } | null> {
  return db.ecsPrice.findUnique({ where: { id }, select: { id: true, name: true } });
}

export type EcsPriceSaveResult =
  | { success: true; id: string }
  | {
      success: false;
      fieldErrors: Partial<Record<keyof EcsPriceInput, string>>;
      duplicate?: boolean;
      notFound?: boolean;
    };

/** Add (no id) or edit (id) a price; names are unique. */
export async function saveEcsPrice(input: unknown, id?: string): Promise<EcsPriceSaveResult> {
  const parsed = ecsPriceSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Partial<Record<keyof EcsPriceInput, string>> = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path[0] as keyof EcsPriceInput] ??= issue.message;
    return { success: false, fieldErrors };
  }
  const clash = await db.ecsPrice.findUnique({ where: { name: parsed.data.name }, select: { id: true } });
  if (clash && clash.id !== id)
    return { success: false, fieldErrors: { name: "An ECS price with this name exists" }, duplicate: true };
  if (id) {
    const updated = await db.ecsPrice.updateMany({ where: { id }, data: parsed.data });
    if (updated.count === 0) return { success: false, fieldErrors: {}, notFound: true };
    return { success: true, id };
  }
  const created = await db.ecsPrice.create({ data: parsed.data });
  return { success: true, id: created.id };
}

export async function deleteEcsPrice(id: string): Promise<boolean> {
  return (await db.ecsPrice.deleteMany({ where: { id } })).count > 0;
}
