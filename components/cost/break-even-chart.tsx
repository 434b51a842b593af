"use client";

import { useTranslations } from "next-intl";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceDot,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ChartPoint } from "@/lib/cost/break-even";
import { formatMoney, type CurrencyCode } from "@/lib/cost/money";

interface Props {
  points: ChartPoint[];
  crossing: { jobsPerDay: number; cost: number } | null;
  maxJobsPerDay: number;
  currentJobsPerDay: number;
  currency: CurrencyCode;
}

const ECI_COLOR = "#ea580c";
const ECS_COLOR = "#2563eb";

/** Monthly cost on ECI and on ECS against jobs per day, with the break-even marked. */
export function BreakEvenChart({ points, crossing, maxJobsPerDay, currentJobsPerDay, currency }: Props) {
  const t = useTranslations("cost.chart");
  const money = (value: number) =>
    formatMoney(value, currency, { decimals: value === 0 || Math.abs(value) >= 10 ? 0 : 2 });
  return (
    <figure
      className="h-80 w-full"
      data-testid="break-even-chart"
      data-crossing={crossing ? crossing.jobsPerDay.toFixed(2) : "none"}
      aria-label={t("label")}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 16, right: 24, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.4} />
          <XAxis
            dataKey="jobsPerDay"
            type="number"
            domain={[0, maxJobsPerDay]}
            tickCount={6}
            label={{ value: t("xAxis"), position: "insideBottom", offset: -12 }}
          />
          <YAxis tickFormatter={money} width={80} />
          <Tooltip
            formatter={(value) => formatMoney(Number(value), currency)}
            labelFormatter={(label) => t("tooltipJobs", { jobs: Number(label).toFixed(1) })}
          />
          <Legend verticalAlign="top" />
          <Line
            type="linear"
            dataKey="eci"
            name={t("eci")}
            stroke={ECI_COLOR}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            type="linear"
            dataKey="ecs"
            name={t("ecs")}
            stroke={ECS_COLOR}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          {currentJobsPerDay <= maxJobsPerDay && (
            <ReferenceLine
              x={currentJobsPerDay}
              stroke="#64748b"
              strokeDasharray="4 4"
              label={{ value: t("you"), position: "insideTopRight" }}
            />
          )}
          {crossing && (
            <ReferenceDot
              x={crossing.jobsPerDay}
              y={crossing.cost}
              r={6}
              fill="#16a34a"
              stroke="white"
              label={{
                value: t("crossing", { jobs: Math.floor(crossing.jobsPerDay) }),
                position: "insideBottomRight",
                offset: 12,
              }}
            />
          )}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
