"use client";

import Link from "next/link";
import { clsx } from "clsx";

export interface TabItem<Id extends string> {
  id: Id;
  label: string;
  /** A tab that is a page of its own (a URL); without it the tab switches in place (onSelect). */
  href?: string;
}

const tabClass = (active: boolean) =>
  clsx(
    "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
    active
      ? "border-orange-600 text-orange-700 dark:text-orange-300"
      : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
  );

/**
 * One row of tabs. Tabs with an href are navigation (aria-current="page"); the others are an
 * ARIA tablist whose buttons call onSelect.
 */
export function Tabs<Id extends string>({
  label,
  items,
  active,
  onSelect,
  className,
}: {
  label: string;
  items: readonly TabItem<Id>[];
  active: Id;
  onSelect?: (id: Id) => void;
  className?: string;
}) {
  const row = clsx("flex gap-1 border-b border-slate-200 dark:border-slate-800", className);
  if (items.every((item) => item.href !== undefined)) {
    return (
      <nav aria-label={label} className={row}>
        {items.map((item) => (
          <Link
            key={item.id}
            href={item.href!}
            aria-current={item.id === active ? "page" : undefined}
            className={tabClass(item.id === active)}
          >
            {item.label}
          </Link>
        ))}
      </nav>
    );
  }
  return (
    <div role="tablist" aria-label={label} className={row}>
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="tab"
          aria-selected={item.id === active}
          onClick={() => onSelect?.(item.id)}
          className={tabClass(item.id === active)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
