"use client";

import { useTranslations } from "next-intl";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type ReactNode } from "react";
import { formatSpec } from "@ask-ci/billing/eci/specs";
import type { CostQueryField } from "@/lib/cost/validation";
import { costFormSearchParams, type CostFormValues } from "@/lib/cost/calculator-form-values";
import { specFromPodYaml, type PodYamlResult } from "@/lib/cost/pod-yaml";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";

const RUNNER_SPECS = ["0.25-0.5Gi", "0.5-1Gi", "1-2Gi"];
// Typing settles before the page recomputes; selects and checkboxes apply at once.
const TYPING_DELAY_MS = 400;

export interface SavedEcsPrice {
  id: string;
  name: string;
  monthlyPrice: string;
  currency: "CNY" | "USD";
}

interface Props {
  values: CostFormValues;
  savedEcsPrices: SavedEcsPrice[];
  errors: Partial<Record<CostQueryField, string>>;
  currencySymbol: string;
}

export function CalculatorForm({ values: fromUrl, errors, currencySymbol, savedEcsPrices }: Props) {
  const t = useTranslations("cost.form");
  const router = useRouter();
  const pathname = usePathname();
  const current = useSearchParams().toString();
  const [values, setValues] = useState(fromUrl);
  const [seenQuery, setSeenQuery] = useState(current);
  const [sentQuery, setSentQuery] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [pasted, setPasted] = useState("");
  const [pasteResult, setPasteResult] = useState<PodYamlResult | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // A link elsewhere on the page (the seed example) changed the URL: show its values.
  if (current !== seenQuery) {
    setSeenQuery(current);
    if (current !== sentQuery) setValues(fromUrl);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  function navigate(next: CostFormValues, delay: number) {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const query = costFormSearchParams(next).toString();
      setSentQuery(query);
      startTransition(() => router.replace(`${pathname}?${query}`, { scroll: false }));
    }, delay);
  }

  function update(changes: Partial<CostFormValues>, delay = TYPING_DELAY_MS) {
    const next = { ...values, ...changes };
    setValues(next);
    navigate(next, delay);
  }

  function applyPasted() {
    const result = specFromPodYaml(pasted);
    setPasteResult(result);
    if (result.ok) update({ vcpu: String(result.billed.vcpu), mem: String(result.billed.memoryGiB) }, 0);
  }

  const field = (name: CostQueryField, label: string, options: { hint?: string } = {}) => (
    <Field key={name} label={label} hint={options.hint} error={errors[name]} name={name}>
      <input
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={values[name]}
        onChange={(event) => update({ [name]: event.target.value })}
        className={inputClass}
      />
    </Field>
  );

  // Selects apply at once (no typing delay).
  const select = (name: "site" | "region" | "acsclass" | "runner", label: string, options: ReactNode) => (
    <Field label={label} error={errors[name]} name={name}>
      <select
        value={values[name]}
        onChange={(event) => update({ [name]: event.target.value }, 0)}
        className={inputClass}
      >
        {options}
      </select>
    </Field>
  );

  const runnerOptions =
    values.runner && !RUNNER_SPECS.includes(values.runner) ? [...RUNNER_SPECS, values.runner] : RUNNER_SPECS;

  return (
    <form
      method="get"
      action={pathname}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        navigate(values, 0);
      }}
      aria-busy={pending}
      className="space-y-5 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900 print:hidden"
    >
      <h2 className="text-lg font-semibold">{t("heading")}</h2>
      <fieldset className="grid grid-cols-2 gap-3">
        <legend className="sr-only">{t("jobPod")}</legend>
        {field("vcpu", t("vcpu"))}
        {field("mem", t("mem"))}
        {field("minutes", t("minutes"), { hint: t("minutesHint") })}
        {field("jobs", t("jobs"))}
        {field("ecs", t("ecs", { symbol: currencySymbol }))}
        {field("days", t("days"))}
        {savedEcsPrices.length > 0 && (
          <Field className="col-span-2" label={t("savedEcs")}>
            <select
              value=""
              onChange={(event) => {
                const saved = savedEcsPrices.find((price) => price.id === event.target.value);
                if (saved) update({ ecs: saved.monthlyPrice, site: saved.currency === "USD" ? "intl" : "cn" }, 0);
              }}
              className={inputClass}
            >
              <option value="">{t("savedEcsPick")}</option>
              {savedEcsPrices.map((price) => (
                <option key={price.id} value={price.id}>
                  {t("savedEcsOption", { name: price.name, price: price.monthlyPrice, currency: price.currency })}
                </option>
              ))}
            </select>
          </Field>
        )}
      </fieldset>

      <details className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800">
        <summary className="cursor-pointer font-medium">{t("paste.title")}</summary>
        <p className="mt-2 text-xs text-slate-500">{t("paste.help")}</p>
        <textarea
          aria-label={t("paste.title")}
          value={pasted}
          onChange={(event) => setPasted(event.target.value)}
          rows={6}
          spellCheck={false}
          className={`${inputClass} font-mono text-xs`}
          placeholder={"resources:\n  limits: { cpu: 500m, memory: 1Gi }"}
        />
        <Button onClick={applyPasted} variant="compact" className="mt-2">
          {t("paste.apply")}
        </Button>
        {pasteResult && (
          <p
            role="status"
            className={`mt-2 text-xs ${pasteResult.ok ? "text-slate-700 dark:text-slate-300" : "text-red-600 dark:text-red-400"}`}
          >
            {pasteResult.ok
              ? t("paste.result", {
                  spec: formatSpec(pasteResult.billed),
                  source: t(`paste.source.${pasteResult.source}`),
                })
              : t(`paste.error.${pasteResult.error}`)}
            {pasteResult.ok && pasteResult.unsupported && ` ${t("paste.unsupported")}`}
          </p>
        )}
      </details>

      <fieldset className="grid grid-cols-2 gap-3">
        <legend className="mb-1 text-sm font-semibold">{t("options")}</legend>
        {select(
          "site",
          t("site"),
          <>
            <option value="cn">{t("siteCn")}</option>
            <option value="intl">{t("siteIntl")}</option>
          </>,
        )}
        {select(
          "region",
          t("region"),
          <>
            <option value="mainland">{t("regionMainland")}</option>
            <option value="overseas">{t("regionOverseas")}</option>
          </>,
        )}
        {select(
          "acsclass",
          t("acsclass"),
          <>
            <option value="general-purpose">{t("acsGeneralPurpose")}</option>
            <option value="performance">{t("acsPerformance")}</option>
          </>,
        )}
        {select(
          "runner",
          t("runner"),
          <>
            <option value="">{t("runnerOff")}</option>
            {runnerOptions.map((spec) => (
              <option key={spec} value={spec}>
                {t("runnerSpec", { spec })}
              </option>
            ))}
          </>,
        )}
        <label className="col-span-2 flex items-center gap-2 text-sm font-medium">
          <input
            type="checkbox"
            name="economy"
            value="1"
            checked={values.economy === "1"}
            onChange={(event) => update({ economy: event.target.checked ? "1" : "" }, 0)}
          />
          {t("economy")}
        </label>
        {errors.economy && (
          <span role="alert" className="col-span-2 -mt-2 block text-xs text-red-600 dark:text-red-400">
            {errors.economy}
          </span>
        )}
        {field("spot", t("spot"), { hint: t("spotHint") })}
        {field("spotlimit", t("spotlimit", { symbol: currencySymbol }))}
        {field("nas", t("nas", { symbol: currencySymbol }))}
        {field("imagecache", t("imagecache", { symbol: currencySymbol }))}
      </fieldset>

      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary">
          {t("update")}
        </Button>
        {pending && <span className="text-xs text-slate-500">{t("updating")}</span>}
      </div>
    </form>
  );
}
