import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";
import type { Validation } from "@/lib/i18n/validation";

type ParseOptions = Validation["parseOptions"];

/**
 * zodResolver for a wizard step whose form values are not exactly the schema's input (maps and
 * lists are edited as text): `toInput` converts, then the step's part of runnerSettingsSchema
 * validates, and its messages land on the same field paths ("jobPods.build.cpuLimit").
 * `parseOptions` (from useRunnerSchemas) words zod's own checks in the page's language.
 */
export function stepResolver<F extends FieldValues, S extends z.ZodType>(
  schema: S,
  toInput: (values: F) => unknown,
  parseOptions: ParseOptions,
): Resolver<F, unknown, z.output<S>> {
  const inner = zodResolver(schema as never, parseOptions) as unknown as Resolver<FieldValues, unknown, z.output<S>>;
  return ((values: F, context: unknown, options: Parameters<Resolver<F>>[2]) =>
    inner(toInput(values) as FieldValues, context, options as never)) as unknown as Resolver<F, unknown, z.output<S>>;
}

/**
 * For an optional section (registry auth, image cache) behind an "enabled" checkbox: validated
 * only when enabled; the submit handler gets the form values (with `enabled`) back.
 */
export function optionalStepResolver<F extends FieldValues & { enabled: boolean }, S extends z.ZodType>(
  schema: S,
  toInput: (values: F) => unknown,
  parseOptions: ParseOptions,
): Resolver<F, unknown, F> {
  const inner = stepResolver<F, S>(schema, toInput, parseOptions);
  return (async (values: F, context: unknown, options: Parameters<Resolver<F>>[2]) => {
    if (!values.enabled) return { values, errors: {} };
    const result = await inner(values, context, options);
    return Object.keys(result.errors).length ? { values: {}, errors: result.errors } : { values, errors: {} };
  }) as unknown as Resolver<F, unknown, F>;
}
