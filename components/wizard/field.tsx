import type { ReactNode } from "react";

/** A labelled control with its hint and its validation message (the schema's own words). */
export function Field({ label, hint, error, children }: { label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <label className="block text-sm font-medium">
      {label}
      {children}
      {hint && !error && <span className="mt-1 block text-xs font-normal text-slate-500 dark:text-slate-400">{hint}</span>}
      {error && (
        <span role="alert" className="mt-1 block text-xs font-normal text-red-600 dark:text-red-400">
          {error}
        </span>
      )}
    </label>
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
