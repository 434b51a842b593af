import type { UseFormRegisterReturn } from "react-hook-form";

/** The checkbox that turns an optional wizard step (registry auth, image cache) on, with its hint. */
export function EnableToggle({
  registration,
  label,
  hint,
}: {
  registration: UseFormRegisterReturn;
  label: string;
  hint: string;
}) {
  return (
    <>
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" {...registration} />
        {label}
      </label>
      <p className="text-sm text-slate-600 dark:text-slate-400">{hint}</p>
    </>
  );
}
