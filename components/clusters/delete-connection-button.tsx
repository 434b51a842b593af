"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { connectionDeletionImpactAction, deleteConnectionAction } from "@/app/(dashboard)/clusters/actions";
import type { ConnectionProblem } from "@/lib/connections/problems";
import type { DeletionImpact } from "@/lib/connections/store.server";
import { ProblemAlert } from "./problem-text";
import { Button } from "@/components/ui/button";

export function DeleteConnectionButton({ id, name, redirectTo }: { id: string; name: string; redirectTo?: string }) {
  const t = useTranslations("clusters");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [impact, setImpact] = useState<DeletionImpact | null>(null);
  const [keepHistory, setKeepHistory] = useState(true);
  const [problem, setProblem] = useState<ConnectionProblem | null>(null);
  const [pending, startTransition] = useTransition();

  // What the connection holds, counted when the dialog opens: the user decides knowing it.
  useEffect(() => {
    if (!open) return;
    let current = true;
    void connectionDeletionImpactAction(id).then((result) => {
      if (!current) return;
      if (result.ok) setImpact(result.value);
      else setProblem(result.problem ?? { code: "notFound" });
    });
    return () => {
      current = false;
    };
  }, [open, id]);

  const confirm = () =>
    startTransition(async () => {
      const result = await deleteConnectionAction(id, keepHistory && (impact?.jobRecords ?? 0) > 0);
      if (!result.ok) {
        setProblem(result.problem ?? { code: "notFound" });
        return;
      }
      setOpen(false);
      if (redirectTo) router.push(redirectTo);
      router.refresh();
    });

  const jobs = impact?.jobRecords ?? 0;
  return (
    <>
      <Button onClick={() => setOpen(true)} variant="dangerLink" className="text-sm">
        {t("list.delete")}
      </Button>
      {open && (
        <div
          className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4"
          onClick={() => !pending && setOpen(false)}
        >
          <div
            role="dialog"
            aria-modal="true"
            aria-labelledby={`delete-${id}-title`}
            className="w-full max-w-md space-y-3 rounded-xl bg-white p-6 shadow-xl dark:bg-slate-900"
            onClick={(event) => event.stopPropagation()}
          >
            <h2 id={`delete-${id}-title`} className="text-lg font-semibold">
              {t("delete.title", { name })}
            </h2>
            {impact === null && !problem ? (
              <p className="text-sm text-slate-500">{t("delete.loading")}</p>
            ) : (
              impact && (
                <div className="space-y-2 text-sm" data-testid="delete-impact">
                  <p>{t("delete.willDelete")}</p>
                  <ul className="list-disc space-y-1 pl-5">
                    <li>{t("delete.credentials")}</li>
                    {jobs > 0 && !keepHistory && <li>{t("delete.jobs", { count: jobs })}</li>}
                  </ul>
                  {(impact.runnerProfiles > 0 || impact.applyRecords > 0) && (
                    <p className="text-slate-600 dark:text-slate-400">
                      {t("delete.orphans", { profiles: impact.runnerProfiles, applies: impact.applyRecords })}
                    </p>
                  )}
                  {jobs > 0 && (
                    <label className="flex items-start gap-2">
                      <input
                        type="checkbox"
                        className="mt-1"
                        checked={keepHistory}
                        onChange={(event) => setKeepHistory(event.target.checked)}
                      />
                      <span>{t("delete.keepHistory", { count: jobs, name })}</span>
                    </label>
                  )}
                </div>
              )
            )}
            <p className="text-sm text-slate-600 dark:text-slate-400">{t("delete.body")}</p>
            {problem && <ProblemAlert problem={problem} />}
            <div className="flex justify-end gap-3">
              <Button onClick={() => setOpen(false)} disabled={pending} autoFocus>
                {t("delete.cancel")}
              </Button>
              <Button variant="danger" onClick={confirm} disabled={pending || impact === null}>
                {t("delete.confirm")}
              </Button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
