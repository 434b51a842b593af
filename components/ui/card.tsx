import { clsx } from "clsx";
import type { HTMLAttributes, ReactNode, Ref } from "react";

type CardTone = "plain" | "danger" | "dashed";

const TONES: Record<CardTone, string> = {
  plain: "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900",
  danger: "border-red-300 bg-white dark:border-red-800 dark:bg-slate-900",
  dashed: "border-dashed border-slate-300 dark:border-slate-700",
};

/** The bordered box every page groups content in; `title` gives it a heading. */
export function Card({
  as: Tag = "div",
  tone = "plain",
  title,
  className,
  children,
  ref,
  ...rest
}: HTMLAttributes<HTMLElement> & {
  ref?: Ref<HTMLElement>;
  as?: "div" | "section" | "aside" | "article";
  tone?: CardTone;
  title?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <Tag ref={ref as Ref<HTMLDivElement>} className={clsx("rounded-xl border p-4", TONES[tone], className)} {...rest}>
      {title !== undefined && <h2 className="mb-2 font-semibold">{title}</h2>}
      {children}
    </Tag>
  );
}

/** Class of a Card for a box that must be another element (a form). */
export function cardClass(className?: string): string {
  return clsx("rounded-xl border p-4", TONES.plain, className);
}
