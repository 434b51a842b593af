import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** The two views of /cost: the calculator and the comparison from a cluster's job history. */
export async function CostTabs({ active }: { active: "calculator" | "cluster" }) {
  const t = await getTranslations("cost.tabs");
  const tabs = [
    { id: "calculator", href: "/cost", label: t("calculator") },
    { id: "cluster", href: "/cost/cluster", label: t("cluster") },
  ] as const;
  return (
    <nav
      aria-label={t("label")}
      className="mb-5 flex gap-1 border-b border-slate-200 dark:border-slate-800 print:hidden"
    >
      {tabs.map((tab) => (
        <Link
          key={tab.id}
          href={tab.href}
          aria-current={tab.id === active ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
            tab.id === active
              ? "border-orange-600 text-orange-700 dark:text-orange-300"
              : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
          }`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
