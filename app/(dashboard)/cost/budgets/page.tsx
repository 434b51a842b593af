import { getTranslations } from "next-intl/server";
import { BudgetForm } from "@/components/alerts/budget-form";
import { ChannelForm } from "@/components/alerts/channel-form";
import { RulesForm } from "@/components/alerts/rules-form";
import { SendTestButton } from "@/components/alerts/send-test-button";
import { CostTabs } from "@/components/cost/cost-tabs";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Chip } from "@/components/ui/chip";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, TdActions, Th, ThActions, THead } from "@/components/ui/table";
import { requireUser } from "@/lib/auth/guard.server";
import { hasRole } from "@/lib/auth/roles";
import { budgetName, budgetStatus } from "@/lib/alerts/budgets";
import {
  budgetConnections,
  budgetsWithSpend,
  listChannels,
  liveRunningJobCosts,
  loadAlertRules,
  recentDeliveries,
} from "@/lib/alerts/store.server";
import { formatMoney, fromMicros, isCurrencyCode } from "@/lib/cost/money";
import { env } from "@/lib/env.server";
import { liveJobPodsOf } from "@/lib/monitor/job-recorder.server";
import { deleteBudgetAction, deleteChannelAction, setChannelEnabledAction } from "./actions";

const HISTORY_SHOWN = 50;

function money(micros: number, currency: string): string {
  return isCurrencyCode(currency)
    ? formatMoney(fromMicros(micros), currency)
    : `${fromMicros(micros).toFixed(2)} ${currency}`;
}

export default async function BudgetsPage() {
  const user = await requireUser();
  const canOperate = hasRole(user.role, "operator");
  const canAdmin = hasRole(user.role, "admin");
  const t = await getTranslations("alerts");
  const tc = await getTranslations("cost");
  const now = new Date();
  const [budgets, connections, rules, channels, deliveries] = await Promise.all([
    liveRunningJobCosts(now, liveJobPodsOf).then((running) => budgetsWithSpend(now, running)),
    budgetConnections(),
    loadAlertRules(),
    listChannels(),
    recentDeliveries(HISTORY_SHOWN),
  ]);

  return (
    <>
      <PageHeader title={tc("title")} />
      <CostTabs active="budgets" />
      <div className="space-y-8">
        <section aria-labelledby="budgets-heading" className="space-y-4">
          <div>
            <h2 id="budgets-heading" className="text-lg font-semibold">
              {t("budgets.heading")}
            </h2>
            <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t("budgets.intro")}</p>
          </div>
          {budgets.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">{t("budgets.empty")}</p>
          ) : (
            <Table data-testid="budgets">
              <THead>
                <Th>{t("budgets.scope")}</Th>
                <Th>{t("budgets.window")}</Th>
                <Th numeric>{t("budgets.amount")}</Th>
                <Th numeric>{t("budgets.spent")}</Th>
                <Th>{t("budgets.used")}</Th>
                <ThActions label={t("budgets.delete")} />
              </THead>
              <TBody>
                {budgets.map((budget) => {
                  const status = budgetStatus(budget.amountMicros, budget.spentMicros);
                  const percent = Math.round(status.ratio * 100);
                  return (
                    <tr key={budget.id}>
                      <Td className="font-medium">
                        {budget.connectionName} / {budget.projectPath || t("budgets.allProjects")}
                        <span className="ml-2 text-xs text-slate-500">{t(`budgets.period.${budget.period}`)}</span>
                      </Td>
                      <Td className="tabular-nums">
                        {budget.fromDay === budget.toDay ? budget.fromDay : `${budget.fromDay} – ${budget.toDay}`}
                      </Td>
                      <Td numeric>{money(budget.amountMicros, budget.currency)}</Td>
                      <Td numeric>
                        {money(budget.spentMicros, budget.currency)}
                        {budget.runningJobs > 0 && (
                          <span className="block text-xs text-slate-500">
                            {t("budgets.running", {
                              amount: money(budget.runningMicros, budget.currency),
                              count: budget.runningJobs,
                            })}
                          </span>
                        )}
                      </Td>
                      <Td>
                        <div className="flex items-center gap-2">
                          <div
                            className="h-2 w-28 overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
                            role="meter"
                            aria-valuemin={0}
                            aria-valuemax={100}
                            aria-valuenow={Math.min(percent, 100)}
                            aria-label={t("budgets.used")}
                          >
                            <div
                              className={status.crossed ? "h-full bg-red-600" : "h-full bg-orange-500"}
                              style={{ width: `${Math.min(percent, 100)}%` }}
                            />
                          </div>
                          <span className="tabular-nums">{percent} %</span>
                          <Chip tone={status.crossed ? "bad" : "ok"}>
                            {status.crossed ? t("budgets.crossed") : t("budgets.within")}
                          </Chip>
                        </div>
                      </Td>
                      <TdActions>
                        {canOperate && (
                          <form action={deleteBudgetAction}>
                            <input type="hidden" name="id" value={budget.id} />
                            <Button
                              type="submit"
                              variant="dangerLink"
                              aria-label={t("budgets.deleteNamed", { name: budgetName(budget) })}
                            >
                              {t("budgets.delete")}
                            </Button>
                          </form>
                        )}
                      </TdActions>
                    </tr>
                  );
                })}
              </TBody>
            </Table>
          )}
          {canOperate && connections.length > 0 && <BudgetForm connections={connections} />}
        </section>

        <section aria-labelledby="rules-heading" className="space-y-4">
          <div>
            <h2 id="rules-heading" className="text-lg font-semibold">
              {t("rules.heading")}
            </h2>
            <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
              {t("rules.intro", { seconds: env().ASK_CI_ALERT_INTERVAL_SECONDS })}
            </p>
          </div>
          <Card>
            <RulesForm rules={rules} canEdit={canOperate} />
          </Card>
        </section>

        <section aria-labelledby="channels-heading" className="space-y-4">
          <div>
            <h2 id="channels-heading" className="text-lg font-semibold">
              {t("channels.heading")}
            </h2>
            <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t("channels.intro")}</p>
          </div>
          {channels.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">{t("channels.empty")}</p>
          ) : (
            <Table data-testid="alert-channels">
              <THead>
                <Th>{t("channels.name")}</Th>
                <Th>{t("channels.format")}</Th>
                <Th>{t("channels.url")}</Th>
                <ThActions label={t("channels.test")} />
              </THead>
              <TBody>
                {channels.map((channel) => (
                  <tr key={channel.id}>
                    <Td className="font-medium">
                      {channel.name}{" "}
                      <Chip tone={channel.enabled ? "accent" : "neutral"}>
                        {channel.enabled ? t("channels.enabled") : t("channels.disabled")}
                      </Chip>
                    </Td>
                    <Td>
                      {t(`channels.formats.${channel.format}`)}
                      {channel.signed && <span className="ml-2 text-xs text-slate-500">{t("channels.signed")}</span>}
                    </Td>
                    <Td className="font-mono text-xs">{channel.urlHint}</Td>
                    <TdActions>
                      {canOperate && <SendTestButton channel={channel} />}
                      {canAdmin && (
                        <>
                          <form action={setChannelEnabledAction}>
                            <input type="hidden" name="id" value={channel.id} />
                            <input type="hidden" name="enabled" value={channel.enabled ? "false" : "true"} />
                            <Button type="submit" variant="link">
                              {channel.enabled ? t("channels.disable") : t("channels.enable")}
                            </Button>
                          </form>
                          <form action={deleteChannelAction}>
                            <input type="hidden" name="id" value={channel.id} />
                            <Button
                              type="submit"
                              variant="dangerLink"
                              aria-label={t("channels.deleteNamed", { name: channel.name })}
                            >
                              {t("channels.delete")}
                            </Button>
                          </form>
                        </>
                      )}
                    </TdActions>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
          {canAdmin && <ChannelForm />}
        </section>

        <section aria-labelledby="history-heading" className="space-y-4">
          <div>
            <h2 id="history-heading" className="text-lg font-semibold">
              {t("history.heading")}
            </h2>
            <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
              {t("history.intro", { count: HISTORY_SHOWN })}
            </p>
          </div>
          {deliveries.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">{t("history.empty")}</p>
          ) : (
            <Table data-testid="alert-history">
              <THead>
                <Th>{t("history.at")}</Th>
                <Th>{t("history.kind")}</Th>
                <Th>{t("history.title")}</Th>
                <Th>{t("history.channel")}</Th>
                <Th>{t("history.result")}</Th>
              </THead>
              <TBody>
                {deliveries.map((delivery) => (
                  <tr key={delivery.id}>
                    <Td className="whitespace-nowrap tabular-nums">{delivery.at.slice(0, 19).replace("T", " ")}</Td>
                    <Td>
                      {["budget", "stuck-pod", "runner-down", "test"].includes(delivery.kind)
                        ? t(`history.kinds.${delivery.kind}`)
                        : delivery.kind}
                    </Td>
                    <Td>
                      <span className="font-medium">{delivery.title}</span>
                      <span className="block whitespace-pre-line text-xs text-slate-500">{delivery.message}</span>
                    </Td>
                    <Td>{delivery.channelName || t("history.noChannel")}</Td>
                    <Td>
                      <Chip tone={delivery.ok ? "ok" : "bad"}>
                        {delivery.ok ? t("history.delivered") : t("history.failed")}
                      </Chip>
                      {delivery.error && <span className="block text-xs text-slate-500">{delivery.error}</span>}
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
        </section>
      </div>
    </>
  );
}
