"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { THEME_COOKIE, type Theme } from "./theme";

/** The server reads the theme cookie and passes it in, so the first render matches on both sides. */
export function ThemeToggle({ initialTheme }: { initialTheme: Theme }) {
  const t = useTranslations("header");
  const [theme, setTheme] = useState<Theme>(initialTheme);

  function toggle() {
    const next: Theme = theme === "dark" ? "light" : "dark";
    document.documentElement.classList.toggle("dark", next === "dark");
    document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    setTheme(next);
  }

  return (
    <button
      type="button"
      onClick={toggle}
      aria-label={t("theme")}
      className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      {theme === "dark" ? t("themeLight") : t("themeDark")}
    </button>
  );
}
