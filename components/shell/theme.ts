export const THEME_COOKIE = "ask_ci_theme";
export type Theme = "light" | "dark";
