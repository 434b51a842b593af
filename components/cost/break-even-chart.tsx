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
import type { CalculatorBackend, ComparisonSeries } from "@/lib/cost/backend-comparison";
import { formatAxisMoney, formatMoney, type CurrencyCode } from "@/lib/cost/money";

interface Props {
  series: ComparisonSeries;
  /** The options that have a line; the first is the headline (its crossing is labelled). */
  lines: Array<{ id: CalculatorBackend; name: string }>;
  ecsName: string;
  /** The headline option's break-even (data-crossing, for a reader and the tests). */
  headlineCrossing: number | null;
  currentJobsPerDay: number;
  currency: CurrencyCode;
}

export const BACKEND_COLORS: Record<CalculatorBackend | "ecs", string> = {
  eci: "#ea580c",
  "eci-economy": "#ca8a04",
  "eci-spot": "#db2777",
  "acs-default": "#16a34a",
  "acs-best-effort": "#0d9488",
  ecs: "#2563eb",
};

/** Monthly cost of every option and of the prepaid ECS against jobs per day, each break-even marked. */
export function BreakEvenChart({ series, lines, ecsName, headlineCrossing, currentJobsPerDay, currency }: Props) {
  const t = useTranslations("cost.chart");
  const money = (value: number) => formatAxisMoney(value, currency);
  const { points, crossings, maxJobsPerDay } = series;
  return (
    <figure
      className="h-96 w-full"
      data-testid="break-even-chart"
      data-crossing={headlineCrossing === null ? "none" : headlineCrossing.toFixed(2)}
      data-crossings={crossings.map((c) => `${c.id}:${c.jobsPerDay.toFixed(2)}`).join(" ")}
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
          {lines.map((line) => (
            <Line
              key={line.id}
              type="linear"
              dataKey={line.id}
              name={line.name}
              stroke={BACKEND_COLORS[line.id]}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          ))}
          <Line
            type="linear"
            dataKey="ecs"
            name={ecsName}
            stroke={BACKEND_COLORS.ecs}
            strokeWidth={2}
            strokeDasharray="6 3"
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
          {crossings.map((crossing) => (
            <ReferenceDot
              key={crossing.id}
              x={crossing.jobsPerDay}
              y={crossing.cost}
              r={5}
              fill={BACKEND_COLORS[crossing.id]}
              stroke="white"
              label={
                crossing.id === lines[0]?.id
                  ? {
                      value: t("crossing", { jobs: Math.floor(crossing.jobsPerDay) }),
                      position: "insideBottomRight",
                      offset: 12,
                    }
                  : undefined
              }
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
