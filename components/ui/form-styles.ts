/** Class names shared by the dashboard's forms (connection form, setup wizard); invalid inputs are marked through aria-invalid. */
export const inputClass =
  "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950 aria-[invalid=true]:border-red-500";
export const textareaClass = `${inputClass} font-mono text-xs`;
export const primaryButton =
  "rounded-md bg-orange-600 px-4 py-2 text-sm font-medium text-white hover:bg-orange-700 disabled:opacity-60";
export const secondaryButton =
  "rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800";
/** A small secondary action beside a page title (export, print). */
export const compactButton =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
export const dangerButton =
  "rounded-md bg-red-600 px-4 py-2 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60";
export const cardClass = "rounded-xl border border-slate-200 p-5 dark:border-slate-800";
