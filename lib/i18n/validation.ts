import { createTranslator } from "next-intl";
import type { z } from "zod";
import en from "./messages/en/validation.json";
import zhCN from "./messages/zh-CN/validation.json";
import type { Locale } from "./locales";

/**
 * Validation messages in the user's language. Schemas are built from a `ValidationT` (see
 * runnerSchemasFor in lib/runner-settings/schema.ts), so zod and react-hook-form carry finished
 * sentences; English is the default for the CLI, logs and every existing caller.
 *
 * The catalogs are imported, not read through loadMessages: the same schemas run in the
 * browser, in server actions and in the CLI, none of which share a next-intl request.
 */

type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type ValidationKey = Leaves<(typeof en)["validation"]>;
export type ValidationValues = Record<string, string | number>;
export type ValidationT = (key: ValidationKey, values?: ValidationValues) => string;

const CATALOGS: Record<Locale, Record<string, unknown>> = { en, "zh-CN": zhCN };

const translators = new Map<Locale, ValidationT>();

export function validationTranslator(locale: Locale): ValidationT {
  let translate = translators.get(locale);
  if (!translate) {
    const inner = createTranslator({ locale, messages: CATALOGS[locale], namespace: "validation" });
    translate = (key, values) => (inner as unknown as (key: string, values?: ValidationValues) => string)(key, values);
    translators.set(locale, translate);
  }
  return translate;
}

export const englishValidation = validationTranslator("en");

/**
 * Messages for the checks a schema leaves to zod (wrong type, a bare `.max(3600)`, an enum):
 * pass as `{ error }` to safeParse or zodResolver. Checks with their own message keep it.
 */
export function validationErrorMap(t: ValidationT): z.core.$ZodErrorMap {
  return (issue) => {
    switch (issue.code) {
      case "invalid_type":
        if (issue.input === undefined || issue.input === null) return t("generic.required");
        if (issue.expected === "int") return t("generic.integer");
        if (issue.expected === "number") return t("generic.expectedNumber");
        if (issue.expected === "string") return t("generic.expectedText");
        return t("generic.expectedType", { expected: issue.expected });
      case "too_small": {
        const minimum = Number(issue.minimum);
        if (issue.origin === "string") return t("generic.textAtLeast", { minimum });
        if (issue.origin === "array" || issue.origin === "set") return t("generic.listAtLeast", { minimum });
        return issue.inclusive ? t("generic.numberAtLeast", { minimum }) : t("generic.numberAbove", { minimum });
      }
      case "too_big": {
        const maximum = Number(issue.maximum);
        if (issue.origin === "string") return t("generic.textAtMost", { maximum });
        if (issue.origin === "array" || issue.origin === "set") return t("generic.listAtMost", { maximum });
        return issue.inclusive ? t("generic.numberAtMost", { maximum }) : t("generic.numberBelow", { maximum });
      }
      case "invalid_value":
        return t("generic.oneOf", { values: issue.values.map(String).join(", ") });
      case "unrecognized_keys":
        return t("generic.unknownKeys", { keys: issue.keys.join(", ") });
      default:
        return t("generic.invalid");
    }
  };
}

export interface Validation {
  t: ValidationT;
  /** Parse options for safeParse / zodResolver: the locale's fallback messages. */
  parseOptions: { error: z.core.$ZodErrorMap };
}

const validations = new Map<Locale, Validation>();

export function validationFor(locale: Locale): Validation {
  let validation = validations.get(locale);
  if (!validation) {
    const t = validationTranslator(locale);
    validation = { t, parseOptions: { error: validationErrorMap(t) } };
    validations.set(locale, validation);
  }
  return validation;
}
