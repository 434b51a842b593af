import { useLocale } from "next-intl";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/locales";
import { runnerSchemasFor, type RunnerSchemas } from "@/lib/runner-settings/schema";

/** The runner schemas with messages in the page's language (one cached set per locale). */
export function useRunnerSchemas(): RunnerSchemas {
  const locale = useLocale();
  return runnerSchemasFor(isLocale(locale) ? locale : DEFAULT_LOCALE);
}
