import Decimal from "decimal.js";

/**
 * Kubernetes resource quantities ("500m", "1Gi", "1.5", "2e3") parsed exactly.
 *
 * Hand-written rather than taken from @kubernetes/client-node because these functions run in
 * the browser too (wizard, cost page) and the client library is Node-only. Values go through
 * decimal.js so "0.1" + "0.2" style sums never drift; the integer forms (millicores, bytes)
 * are what callers should add up.
 */

const BINARY_SUFFIXES: Record<string, Decimal> = {
  Ki: new Decimal(2).pow(10),
  Mi: new Decimal(2).pow(20),
  Gi: new Decimal(2).pow(30),
  Ti: new Decimal(2).pow(40),
  Pi: new Decimal(2).pow(50),
  Ei: new Decimal(2).pow(60),
};

const DECIMAL_SUFFIXES: Record<string, Decimal> = {
  n: new Decimal("1e-9"),
  u: new Decimal("1e-6"),
  m: new Decimal("1e-3"),
  "": new Decimal(1),
  k: new Decimal("1e3"),
  M: new Decimal("1e6"),
  G: new Decimal("1e9"),
  T: new Decimal("1e12"),
  P: new Decimal("1e15"),
  E: new Decimal("1e18"),
};

// Same grammar as k8s.io/apimachinery resource.Quantity: a decimal number followed by a
// binary suffix, a decimal SI suffix, or a decimal exponent (e/E). Signs are accepted by the
// grammar but negatives are rejected below: a negative request is never meaningful here.
const QUANTITY_PATTERN = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;

export class QuantityError extends Error {
  constructor(input: unknown, reason: string) {
    super(`Invalid resource quantity ${JSON.stringify(input)}: ${reason}`);
    this.name = "QuantityError";
  }
}

/** Exact value of a quantity in base units (cores for CPU, bytes for memory). */
export function parseQuantity(q: string | number): Decimal {
  if (typeof q === "number") {
    if (!Number.isFinite(q)) throw new QuantityError(q, "not a finite number");
    if (q < 0) throw new QuantityError(q, "negative");
    return new Decimal(q);
  }
  if (typeof q !== "string") throw new QuantityError(q, "expected a string or a number");
  const match = QUANTITY_PATTERN.exec(q.trim());
  if (!match) throw new QuantityError(q, "expected a number with an optional suffix such as m, Mi, Gi, G");
  const [, numberPart, suffix = ""] = match;
  const value = new Decimal(numberPart);
  let scaled: Decimal;
  if (suffix in BINARY_SUFFIXES) scaled = value.times(BINARY_SUFFIXES[suffix]);
  else if (suffix in DECIMAL_SUFFIXES) scaled = value.times(DECIMAL_SUFFIXES[suffix]);
  else scaled = value.times(new Decimal(10).pow(Number(suffix.slice(1))));
  if (scaled.isNegative() && !scaled.isZero()) throw new QuantityError(q, "negative");
  return scaled.abs();
}

/**
 * CPU quantity in whole millicores, rounded up: Kubernetes does not allow CPU finer than 1m,
 * and rounding up matches how ECI rounds a request up rather than down.
 */
export function parseCpuMillicores(q: string | number): number {
  return toSafeInteger(q, parseQuantity(q).times(1000).ceil());
}

/** Memory quantity in whole bytes, rounded up (a bare number means bytes, as in Kubernetes). */
export function parseMemoryBytes(q: string | number): number {
  return toSafeInteger(q, parseQuantity(q).ceil());
}

function toSafeInteger(input: string | number, value: Decimal): number {
  if (value.greaterThan(Number.MAX_SAFE_INTEGER)) throw new QuantityError(input, "too large");
  return value.toNumber();
}

/** CPU quantity in vCPU: "500m" -> 0.5, "2" -> 2, 0.25 -> 0.25. Throws QuantityError on junk. */
export function parseCpuQuantity(q: string | number): number {
  return parseCpuMillicores(q) / 1000;
}

/**
 * Memory quantity in GiB: "1Gi" -> 1, "512Mi" -> 0.5, "1G" -> 0.931..., 1073741824 -> 1.
 * A bare number is bytes, as in a Kubernetes manifest. Throws QuantityError on junk.
 */
export function parseMemoryQuantityGiB(q: string | number): number {
  return bytesToGiB(parseMemoryBytes(q));
}

export const BYTES_PER_GIB = 2 ** 30;

// Dividing an integer by a power of two is exact in binary floating point.
export function bytesToGiB(bytes: number): number {
  return bytes / BYTES_PER_GIB;
}

export function gibToBytes(gib: number): number {
  return Math.ceil(new Decimal(gib).times(BYTES_PER_GIB).toNumber());
}

export function vcpuToMillicores(vcpu: number): number {
  return new Decimal(vcpu).times(1000).ceil().toNumber();
}
