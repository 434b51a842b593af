"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { THEME_COOKIE, type Theme } from "./theme";
import { Button } from "@/components/ui/button";

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
    <Button variant="compact" onClick={toggle} aria-label={t("theme")}>
      {theme === "dark" ? t("themeLight") : t("themeDark")}
    </Button>
  );
}
