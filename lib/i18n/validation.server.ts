import "server-only";
import { getLocale } from "next-intl/server";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locales";
import { validationFor, type Validation } from "./validation";

/** The request's locale (cookie, then Accept-Language) and its validation messages, for server actions and route handlers. */
export async function requestValidation(): Promise<Validation & { locale: Locale }> {
  const requested = await getLocale();
  const locale = isLocale(requested) ? requested : DEFAULT_LOCALE;
  return { locale, ...validationFor(locale) };
}
