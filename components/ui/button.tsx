import Link from "next/link";
import { clsx } from "clsx";
import type { ButtonHTMLAttributes, ComponentProps } from "react";

export type ButtonVariant =
  "primary" | "secondary" | "danger" | "compact" | "dangerCompact" | "ghost" | "link" | "quietLink" | "dangerLink";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "rounded-md bg-orange-600 px-4 py-2 text-sm font-medium text-white hover:bg-orange-700 disabled:opacity-60",
  secondary:
    "rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800",
  danger: "rounded-md bg-red-600 px-4 py-2 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60",
  /** A small secondary action beside a title or in a row (export, print, test). */
  compact:
    "rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800",
  dangerCompact:
    "rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-400 dark:hover:bg-red-950",
  /** No border until hovered: toolbar and header actions. */
  ghost:
    "rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-60 dark:text-slate-300 dark:hover:bg-slate-800",
  link: "text-orange-700 hover:underline disabled:opacity-60 dark:text-orange-400",
  quietLink: "text-slate-600 hover:underline disabled:opacity-60 dark:text-slate-400",
  dangerLink: "text-red-600 hover:underline disabled:opacity-60 dark:text-red-400",
};

/** The class of a button variant, for the few controls that cannot be a Button (a label, a summary). */
export function buttonClass(variant: ButtonVariant = "secondary", className?: string): string {
  return clsx(VARIANTS[variant], className);
}

/** A button; `type="button"` unless said otherwise, so it never submits a form by accident. */
export function Button({
  variant = "secondary",
  className,
  type = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  return <button type={type} className={buttonClass(variant, className)} {...props} />;
}

/** A link that looks like a button (navigation, downloads). */
export function ButtonLink({
  variant = "secondary",
  className,
  ...props
}: ComponentProps<typeof Link> & { variant?: ButtonVariant }) {
  return <Link className={buttonClass(variant, clsx("inline-block", className))} {...props} />;
}
