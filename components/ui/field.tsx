import { clsx } from "clsx";
import { cloneElement, useId, type ReactElement } from "react";

/** Text inputs and selects; invalid ones are marked through aria-invalid. */
export const inputClass =
  "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950 aria-[invalid=true]:border-red-500";
export const textareaClass = `${inputClass} font-mono text-xs`;
/** The smaller control of a filter bar (Field compact). */
export const compactInputClass =
  "rounded-md border border-slate-300 bg-transparent px-2 py-1 text-sm dark:border-slate-700 aria-[invalid=true]:border-red-500";

type Control = ReactElement<{ id?: string; name?: string; "aria-describedby"?: string; "aria-invalid"?: unknown }>;

/**
 * A labelled control with its hint and its validation message. The label names only the control;
 * hint and message are its description (aria-describedby), so screen readers and tests find the
 * field by its label alone. `name`, when given, is set on the control (plain form posts).
 */
export function Field({
  label,
  hint,
  error,
  name,
  compact = false,
  className,
  children,
}: {
  label: string;
  hint?: string;
  error?: string;
  name?: string;
  /** Small, label above the control: filter bars. */
  compact?: boolean;
  className?: string;
  children: Control;
}) {
  const id = `${useId()}${name ? `-${name}` : ""}`;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className={clsx(compact ? "flex flex-col gap-1 text-xs" : "block text-sm font-medium", className)}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        "aria-describedby": describedBy,
        ...(name ? { name } : {}),
        ...(error && children.props["aria-invalid"] === undefined ? { "aria-invalid": true } : {}),
      })}
      {hint && (
        <span id={`${id}-hint`} className="mt-1 block text-xs font-normal text-slate-500 dark:text-slate-400">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} role="alert" className="mt-1 block text-xs font-normal text-red-600 dark:text-red-400">
          {error}
        </span>
      )}
    </div>
  );
}

/** Every message under a form-error subtree (maps such as pod labels report per key). */
export function collectMessages(error: unknown): string | undefined {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const message = (node as { message?: unknown }).message;
    if (typeof message === "string" && message) out.push(message);
    for (const [key, value] of Object.entries(node)) if (key !== "ref" && key !== "message") walk(value);
  };
  walk(error);
  return out.length ? [...new Set(out)].join(" · ") : undefined;
}
