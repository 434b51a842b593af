import Decimal from "decimal.js";

/**
 * Money is a Decimal in the currency's major unit (yuan, dollars). Amounts are only turned into
 * binary floats at the very edge (chart coordinates), never summed as floats. The database keeps
 * integer micro-units (JobRecord.costMicros, a BigInt column: Int is 32-bit on PostgreSQL);
 * toMicros/fromMicros convert, microsFromDatabase reads a column or a SUM of it.
 */
export type Money = Decimal;
export type MoneyInput = Decimal.Value;

export type CurrencyCode = "CNY" | "USD";

export interface Currency {
  code: CurrencyCode;
  /** "¥" for the China site, "US$" so it is never mistaken for another dollar. */
  symbol: string;
  /** Decimals shown for amounts such as a monthly cost or a job's cost. */
  decimals: number;
  /** Decimals shown for unit prices (per second), which live far below a cent. */
  unitPriceDecimals: number;
}

export const CURRENCIES: Readonly<Record<CurrencyCode, Currency>> = {
  CNY: { code: "CNY", symbol: "¥", decimals: 2, unitPriceDecimals: 8 },
  USD: { code: "USD", symbol: "US$", decimals: 2, unitPriceDecimals: 8 },
};

export function isCurrencyCode(value: string): value is CurrencyCode {
  return Object.hasOwn(CURRENCIES, value);
}

export function money(value: MoneyInput): Money {
  return new Decimal(value);
}

export function sumMoney(values: Iterable<MoneyInput>): Money {
  let total = new Decimal(0);
  for (const value of values) total = total.plus(value);
  return total;
}

/** Half-up to a number of decimals (how bills round), e.g. 0.005 -> 0.01. */
export function roundMoney(amount: MoneyInput, decimals: number): Money {
  return new Decimal(amount).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
}

const MICROS_PER_UNIT = 1_000_000;

/** Integer micro-units for storage, rounded half-up. */
export function toMicros(amount: MoneyInput): number {
  return new Decimal(amount).times(MICROS_PER_UNIT).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

export function fromMicros(micros: number | bigint): Money {
  return new Decimal(micros).dividedBy(MICROS_PER_UNIT);
}

/**
 * Micro-units as the database returns them (a BigInt column as bigint; a SUM as bigint, number or,
 * on PostgreSQL, a numeric string) as a number for arithmetic: exact up to 2^53 micro-units, about
 * nine billion units of the currency, far beyond any one cluster's job history.
 */
export function microsFromDatabase(value: bigint | number | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const micros = Number(value);
  if (!Number.isSafeInteger(micros)) throw new RangeError(`Amount out of range: ${String(value)} micro-units`);
  return micros;
}

export interface FormatMoneyOptions {
  /** Override the currency's default decimals (e.g. unit prices, or 4 for a single cheap job). */
  decimals?: number;
  /** Thousands separators; on by default. */
  grouping?: boolean;
}

/** formatMoney(1234.5, "CNY") -> "¥1,234.50"; formatMoney(-0.1, "USD") -> "-US$0.10". */
export function formatMoney(amount: MoneyInput, currency: CurrencyCode, options: FormatMoneyOptions = {}): string {
  const { symbol, decimals: defaultDecimals } = CURRENCIES[currency];
  const decimals = options.decimals ?? defaultDecimals;
  const rounded = roundMoney(amount, decimals);
  const [whole, fraction] = rounded.abs().toFixed(decimals).split(".");
  const grouped = options.grouping === false ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = rounded.isNegative() && !rounded.isZero() ? "-" : "";
  return `${sign}${symbol}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** A per-second unit price: formatUnitPrice("0.000049", "CNY") -> "¥0.00004900". */
export function formatUnitPrice(amount: MoneyInput, currency: CurrencyCode): string {
  return formatMoney(amount, currency, { decimals: CURRENCIES[currency].unitPriceDecimals, grouping: false });
}

/**
 * A chart axis tick: as many decimals as the tick has (up to 6), at least the currency's below 10,
 * none for whole amounts of 10 or more. Ticks 0.005 apart read ¥0.005, ¥0.01, ¥0.015 instead of
 * ¥0.01, ¥0.01, ¥0.02.
 */
export function formatAxisMoney(value: number, currency: CurrencyCode): string {
  let decimals = 0;
  while (decimals < 6 && Math.abs(value * 10 ** decimals - Math.round(value * 10 ** decimals)) > 1e-9) decimals++;
  const least = value === 0 || Math.abs(value) >= 10 ? 0 : CURRENCIES[currency].decimals;
  return formatMoney(value, currency, { decimals: Math.max(decimals, least) });
}
