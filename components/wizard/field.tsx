"use client";

import { cloneElement, useId, type ReactElement } from "react";

type Control = ReactElement<{ id?: string; "aria-describedby"?: string }>;

/**
 * A labelled control with its hint and its validation message (the schema's own words). The
 * label names only the control; hint and message are its description, so screen readers and
 * tests find the field by its label alone.
 */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string;
  error?: string;
  children: Control;
}) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="block text-sm font-medium">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, "aria-describedby": describedBy })}
      {hint && !error && (
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
