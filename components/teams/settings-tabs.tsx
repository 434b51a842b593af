"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The Settings sections; the first (/settings) is active only on itself, the others on their subtree. */
export function SettingsTabs({ items, label }: { items: Array<{ href: string; label: string }>; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="mb-6 flex flex-wrap gap-1 border-b border-slate-200 dark:border-slate-800">
      {items.map((item, index) => {
        const active = index === 0 ? pathname === item.href : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              active
                ? "border-orange-600 text-orange-700 dark:text-orange-300"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
            }`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
