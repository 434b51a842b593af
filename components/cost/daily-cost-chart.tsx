"use client";

import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatAxisMoney, formatMoney, type CurrencyCode } from "@/lib/cost/money";
import type { DailyChart } from "@/lib/cost/cluster-view";

const COLORS = ["#ea580c", "#2563eb", "#16a34a", "#9333ea", "#0891b2", "#94a3b8"];

/** Cost per day, stacked by project. */
export function DailyCostChart({ chart, currency }: { chart: DailyChart; currency: CurrencyCode }) {
  const t = useTranslations("cost.cluster");
  const money = (value: number) => formatAxisMoney(value, currency);
  const name = (series: DailyChart["series"][number]) =>
    series.other ? t("otherProjects") : (series.projectPath ?? t("noProject"));
  return (
    <figure className="h-72 w-full" aria-label={t("dailyChartLabel")} data-testid="daily-cost-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={chart.rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.4} />
          <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(5)} minTickGap={16} />
          <YAxis tickFormatter={money} width={72} />
          <Tooltip formatter={(value) => formatMoney(Number(value), currency)} />
          <Legend />
          {chart.series.map((series, i) => (
            <Bar
              key={series.key}
              dataKey={series.key}
              name={name(series)}
              stackId="cost"
              fill={COLORS[i % COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
