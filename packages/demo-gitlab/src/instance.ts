/** What a GitLab instance says about itself (GET /version) and where it lives (its external_url). */
export interface Instance {
  /** external_url: the base every link, clone URL and CI_SERVER_URL is built from. */
  externalUrl: string;
  version: string;
  revision: string;
}

export const DEFAULT_VERSION = "18.6.1";
export const DEFAULT_REVISION = "5a0a6bd2b4c";

/** Timestamps as GitLab's JSON API writes them: ISO 8601 in UTC with milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Timestamps as webhook payloads write them: "2021-02-23 02:41:37 UTC". */
export function hookTime(value: string | null): string | null {
  if (!value) return null;
  return `${value.slice(0, 19).replace("T", " ")} UTC`;
}

/** Seconds between two ISO timestamps, with GitLab's fractional precision. */
export function secondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return (Date.parse(to) - Date.parse(from)) / 1000;
}
