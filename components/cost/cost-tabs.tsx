import { getTranslations } from "next-intl/server";
import { Tabs } from "@/components/ui/tabs";

/** The views of /cost: the calculator, the comparison from a cluster's job history, budgets and alerts. */
export async function CostTabs({ active }: { active: "calculator" | "cluster" | "budgets" }) {
  const t = await getTranslations("cost.tabs");
  return (
    <Tabs
      label={t("label")}
      className="mb-5 print:hidden"
      active={active}
      items={[
        { id: "calculator", href: "/cost", label: t("calculator") },
        { id: "cluster", href: "/cost/cluster", label: t("cluster") },
        { id: "budgets", href: "/cost/budgets", label: t("budgets") },
      ]}
    />
  );
}
