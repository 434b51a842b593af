import { clsx } from "clsx";
import type { ButtonHTMLAttributes, HTMLAttributes } from "react";

export type ChipTone = "neutral" | "ok" | "warn" | "bad" | "accent";

const TONES: Record<ChipTone, string> = {
  neutral: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  ok: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300",
  warn: "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-300",
  bad: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-300",
  accent: "bg-orange-100 text-orange-800 dark:bg-orange-950 dark:text-orange-200",
};

/** A short status label (healthy, default, admin). */
export function Chip({ tone = "neutral", className, ...rest }: HTMLAttributes<HTMLSpanElement> & { tone?: ChipTone }) {
  return (
    <span
      className={clsx("inline-block rounded-full px-2 py-0.5 text-xs font-medium", TONES[tone], className)}
      {...rest}
    />
  );
}

/** A filter that is on or off (aria-pressed), as in the monitor's phase filters. */
export function FilterChip({
  pressed,
  className,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { pressed: boolean }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      className={clsx(
        "rounded-full border px-3 py-1 text-xs font-medium",
        pressed
          ? "border-orange-600 bg-orange-600 text-white"
          : "border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800",
        className,
      )}
      {...rest}
    />
  );
}
