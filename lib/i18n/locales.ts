import { match } from "@formatjs/intl-localematcher";
import Negotiator from "negotiator";
import { readCookie } from "@/lib/auth/read-cookie";

export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "NEXT_LOCALE";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The locale for a request: an explicit choice (cookie) wins, then the browser's Accept-Language. */
export function resolveLocale(cookieValue: string | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  const requested = new Negotiator({ headers: { "accept-language": acceptLanguage ?? "" } }).languages();
  try {
    const matched = match(
      requested.filter((tag) => tag !== "*"),
      LOCALES as unknown as string[],
      DEFAULT_LOCALE,
    );
    return isLocale(matched) ? matched : DEFAULT_LOCALE;
  } catch {
    // Malformed language tags from a client: fall back rather than fail the page.
    return DEFAULT_LOCALE;
  }
}

/** The locale of a route handler's request, by the same rule as pages (cookie, then Accept-Language). */
export function requestLocale(request: Request): Locale {
  return resolveLocale(
    readCookie(request.headers.get("cookie"), LOCALE_COOKIE),
    request.headers.get("accept-language"),
  );
}
