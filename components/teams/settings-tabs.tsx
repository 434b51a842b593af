"use client";

import { usePathname } from "next/navigation";
import { Tabs } from "@/components/ui/tabs";

/** The Settings sections as link tabs; the first (/settings) is active only on itself, the others on their subtree. */
export function SettingsTabs({ items, label }: { items: Array<{ href: string; label: string }>; label: string }) {
  const pathname = usePathname();
  const active =
    items.find((item, index) => (index === 0 ? pathname === item.href : pathname.startsWith(item.href)))?.href ?? "";
  return (
    <Tabs
      label={label}
      className="mb-6 flex-wrap"
      items={items.map((item) => ({ id: item.href, label: item.label, href: item.href }))}
      active={active}
    />
  );
}
