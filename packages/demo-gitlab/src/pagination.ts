import { invalidParams, methodNotAllowed } from "./errors";
import type { ApiRequest, ApiResponse } from "./http";

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

function intParam(req: ApiRequest, name: string, fallback: number): number {
  const raw = req.query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^-?\d+$/.test(raw)) throw invalidParams(`${name} is invalid`);
  return Number(raw);
}

/** per_page outside 1–100 falls back as GitLab's Kaminari config does: below 1 → 20, above → 100. */
export function perPage(req: ApiRequest): number {
  const value = intParam(req, "per_page", DEFAULT_PER_PAGE);
  if (value < 1) return DEFAULT_PER_PAGE;
  return Math.min(value, MAX_PER_PAGE);
}

function pageLink(req: ApiRequest, externalApiUrl: string, changes: Record<string, string | null>): string {
  const url = new URL(`${externalApiUrl}${req.path}`);
  for (const [key, value] of req.query) url.searchParams.append(key, value);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  return url.toString();
}

/**
 * Offset pagination with GitLab's headers: X-Page, X-Per-Page, X-Next-Page, X-Prev-Page, X-Total,
 * X-Total-Pages and Link (rel first/prev/next/last). `withoutCount` leaves out the totals and
 * rel="last", as GitLab does for large collections (project jobs).
 */
export function paginate<T, R>(
  req: ApiRequest,
  externalApiUrl: string,
  items: readonly T[],
  present: (item: T) => R,
  options: { withoutCount?: boolean } = {},
): ApiResponse {
  const size = perPage(req);
  const page = Math.max(1, intParam(req, "page", 1));
  const total = items.length;
  const totalPages = Math.max(1, Math.ceil(total / size));
  const slice = items.slice((page - 1) * size, page * size);
  const hasNext = page * size < total;
  const links: string[] = [];
  const link = (p: number, rel: string) =>
    links.push(`<${pageLink(req, externalApiUrl, { page: String(p), per_page: String(size) })}>; rel="${rel}"`);
  if (page > 1) link(page - 1, "prev");
  if (hasNext) link(page + 1, "next");
  link(1, "first");
  if (!options.withoutCount) link(totalPages, "last");
  const headers: Record<string, string> = {
    "X-Page": String(page),
    "X-Per-Page": String(size),
    "X-Next-Page": hasNext ? String(page + 1) : "",
    "X-Prev-Page": page > 1 ? String(page - 1) : "",
    Link: links.join(", "),
  };
  if (!options.withoutCount) {
    headers["X-Total"] = String(total);
    headers["X-Total-Pages"] = String(totalPages);
  }
  return { status: 200, headers, body: slice.map(present) };
}

export const wantsKeyset = (req: ApiRequest) => req.query.get("pagination") === "keyset";

/**
 * Keyset pagination on id for GET /projects (pagination=keyset&order_by=id): a Link rel="next" with
 * id_after / id_before, no totals. Other orderings answer 405, as GitLab does.
 */
export function keysetById<T extends { id: number }, R>(
  req: ApiRequest,
  externalApiUrl: string,
  items: readonly T[],
  present: (item: T) => R,
): ApiResponse {
  const orderBy = req.query.get("order_by") ?? "id";
  if (orderBy !== "id") throw methodNotAllowed("Keyset pagination is not supported for this ordering");
  const desc = (req.query.get("sort") ?? "desc") === "desc";
  const after = req.query.get("id_after");
  const before = req.query.get("id_before");
  let list = [...items].sort((a, b) => (desc ? b.id - a.id : a.id - b.id));
  if (after !== null) list = list.filter((i) => i.id > Number(after));
  if (before !== null) list = list.filter((i) => i.id < Number(before));
  const size = perPage(req);
  const slice = list.slice(0, size);
  const headers: Record<string, string> = { "X-Per-Page": String(size) };
  if (list.length > size) {
    const last = slice.at(-1)!.id;
    const next = desc
      ? pageLink(req, externalApiUrl, { id_before: String(last), id_after: null, per_page: String(size) })
      : pageLink(req, externalApiUrl, { id_after: String(last), id_before: null, per_page: String(size) });
    headers.Link = `<${next}>; rel="next"`;
  }
  return { status: 200, headers, body: slice.map(present) };
}

/** Keyset pagination with an opaque cursor (project jobs, ordered by id descending). */
export function keysetByCursor<T extends { id: number }, R>(
  req: ApiRequest,
  externalApiUrl: string,
  itemsNewestFirst: readonly T[],
  present: (item: T) => R,
): ApiResponse {
  const cursor = req.query.get("cursor");
  let list = itemsNewestFirst;
  if (cursor) {
    let id: number;
    try {
      id = Number((JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { id: string }).id);
    } catch {
      throw invalidParams("cursor is invalid");
    }
    list = list.filter((i) => i.id < id);
  }
  const size = perPage(req);
  const slice = list.slice(0, size);
  const headers: Record<string, string> = { "X-Per-Page": String(size) };
  if (list.length > size) {
    const next = Buffer.from(JSON.stringify({ id: String(slice.at(-1)!.id), _kd: "n" })).toString("base64url");
    headers.Link = `<${pageLink(req, externalApiUrl, { cursor: next, per_page: String(size), page: null })}>; rel="next"`;
  }
  return { status: 200, headers, body: slice.map(present) };
}
