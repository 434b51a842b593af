import { ButtonLink } from "./button";

export function EmptyState({
  title,
  body,
  action,
}: {
  title: string;
  body: string;
  action?: { href: string; label: string };
}) {
  return (
    <div className="mx-auto mt-12 max-w-xl rounded-xl border border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
      <h2 className="text-lg font-semibold">{title}</h2>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{body}</p>
      {action && (
        <ButtonLink href={action.href} variant="primary" className="mt-6">
          {action.label}
        </ButtonLink>
      )}
    </div>
  );
}
