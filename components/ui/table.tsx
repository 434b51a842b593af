import { clsx } from "clsx";
import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

/**
 * A data table: horizontally scrollable inside a bordered box (`framed`, the default) or bare
 * inside a Card. Head cells are small caps on a tinted row; body rows are divided.
 */
export function Table({
  framed = true,
  className,
  children,
  ...rest
}: HTMLAttributes<HTMLTableElement> & { framed?: boolean }) {
  return (
    <div className={clsx("overflow-x-auto", framed && "rounded-xl border border-slate-200 dark:border-slate-800")}>
      <table className={clsx("w-full text-left text-sm", className)} {...rest}>
        {children}
      </table>
    </div>
  );
}

/** The head row; children are Th cells. */
export function THead({ className, children, ...rest }: HTMLAttributes<HTMLTableSectionElement>) {
  return (
    <thead className={clsx("bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900", className)} {...rest}>
      <tr>{children}</tr>
    </thead>
  );
}

export function TBody({ className, ...rest }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={clsx("divide-y divide-slate-100 dark:divide-slate-800", className)} {...rest} />;
}

export function Th({ className, numeric, ...rest }: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <th className={clsx("px-3 py-2 font-medium", numeric && "text-right", className)} {...rest} />;
}

/** A body cell; `numeric` right-aligns with tabular figures (amounts, durations). */
export function Td({ className, numeric, ...rest }: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <td className={clsx("px-3 py-2", numeric && "text-right tabular-nums", className)} {...rest} />;
}

/** The head cell of a row-actions column: named for screen readers, blank on screen. */
export function ThActions({ label }: { label: string }) {
  return (
    <Th>
      <span className="sr-only">{label}</span>
    </Th>
  );
}

/** A row's actions (links, buttons, one-button forms), right-aligned in one line that wraps. */
export function TdActions({ children }: { children: ReactNode }) {
  return (
    <Td>
      <div className="flex flex-wrap items-center justify-end gap-3">{children}</div>
    </Td>
  );
}
