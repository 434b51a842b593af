import { getFormatter, getTranslations } from "next-intl/server";
import { formatSpec } from "@ask-ci/billing/eci/specs";
import type { BackendOutcome } from "@/lib/cost/backend-comparison";
import { formatMoney, type CurrencyCode, type Money } from "@/lib/cost/money";
import { BACKEND_COLORS } from "./break-even-chart";

interface Props {
  outcomes: BackendOutcome[];
  ecsMonthly: Money;
  jobsPerDay: number;
  currency: CurrencyCode;
  acsClass: string;
  spotDiscountPercent: number;
}

/** ECI, ECI economy, ECI spot, ACS default, ACS best-effort and the ECS: monthly cost and break-even each. */
export async function BackendTable({
  outcomes,
  ecsMonthly,
  jobsPerDay,
  currency,
  acsClass,
  spotDiscountPercent,
}: Props) {
  const t = await getTranslations("cost.comparison");
  const format = await getFormatter();
  const number = (value: number, digits = 0) => format.number(value, { maximumFractionDigits: digits });
  const className = t(`classes.${acsClass as "general-purpose"}`);
  const cell = "px-3 py-2 tabular-nums";
  return (
    <section aria-labelledby="backend-table-heading" className="space-y-2">
      <h3 id="backend-table-heading" className="font-semibold">
        {t("heading")}
      </h3>
      <p className="text-xs text-slate-500">{t("intro")}</p>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" data-testid="backend-table">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-3 py-2">{t("option")}</th>
              <th className="px-3 py-2">{t("billed")}</th>
              <th className="px-3 py-2">{t("perJob")}</th>
              <th className="px-3 py-2">{t("monthly", { jobs: number(jobsPerDay, 2) })}</th>
              <th className="px-3 py-2">{t("breakEven")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {outcomes.map((outcome) => (
              <tr key={outcome.id} data-testid={`backend-${outcome.id}`}>
                <th scope="row" className="px-3 py-2 font-medium">
                  <span
                    aria-hidden
                    className="mr-2 inline-block size-2.5 rounded-full"
                    style={{ backgroundColor: BACKEND_COLORS[outcome.id] }}
                  />
                  {t(`backends.${outcome.id}`, { class: className })}
                </th>
                {outcome.ok ? (
                  <>
                    <td className={cell}>{formatSpec(outcome.result.billedJobSpec)}</td>
                    <td className={cell}>{formatMoney(outcome.result.costPerJob, currency, { decimals: 4 })}</td>
                    <td className={cell}>{formatMoney(outcome.monthly, currency)}</td>
                    <td className={cell} data-testid={`break-even-${outcome.id}`}>
                      {outcome.result.breakEven.kind === "crossing"
                        ? t("jobsPerDay", { jobs: number(outcome.result.breakEven.jobsPerDay.floor().toNumber()) })
                        : outcome.result.breakEven.kind === "eci-never-cheaper"
                          ? t("never")
                          : t("always")}
                    </td>
                  </>
                ) : (
                  <td colSpan={4} className="px-3 py-2 text-slate-500">
                    {t(outcome.error === "no-price" ? "noPrice" : "spec")}
                  </td>
                )}
              </tr>
            ))}
            <tr data-testid="backend-ecs">
              <th scope="row" className="px-3 py-2 font-medium">
                <span
                  aria-hidden
                  className="mr-2 inline-block size-2.5 rounded-full"
                  style={{ backgroundColor: BACKEND_COLORS.ecs }}
                />
                {t("backends.ecs", { class: className })}
              </th>
              <td className={cell}>—</td>
              <td className={cell}>—</td>
              <td className={cell}>{formatMoney(ecsMonthly, currency)}</td>
              <td className="px-3 py-2 text-slate-500">{t("ecsRow")}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <ul className="list-disc space-y-1 pl-5 text-xs text-slate-500">
        <li>{t("spotNote", { discount: number(spotDiscountPercent, 1) })}</li>
        <li>{t("bestEffortNote")}</li>
      </ul>
    </section>
  );
}
