import type { HTMLAttributes } from "react";

/**
 * A message that something failed, announced to screen readers as it appears (role="alert").
 * `as="div"` for a title and a body; extra classes for spacing (`mb-4`) or preserved lines.
 */
export function ErrorAlert({
  as: Tag = "p",
  className = "",
  ...props
}: HTMLAttributes<HTMLElement> & { as?: "p" | "div"; "data-problem"?: string }) {
  return (
    <Tag
      role="alert"
      className={`rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300 ${className}`.trim()}
      {...props}
    />
  );
}
