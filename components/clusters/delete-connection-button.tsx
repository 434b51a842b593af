"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteConnectionAction } from "@/app/(dashboard)/clusters/actions";
import type { ConnectionProblem } from "@/lib/connections/problems";
import { ProblemAlert } from "./problem-text";
import { Button } from "@/components/ui/button";

export function DeleteConnectionButton({ id, name, redirectTo }: { id: string; name: string; redirectTo?: string }) {
  const t = useTranslations("clusters");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<ConnectionProblem | null>(null);
  const [pending, startTransition] = useTransition();

  const confirm = () =>
    startTransition(async () => {
      const result = await deleteConnectionAction(id);
      if (!result.ok) {
        setProblem(result.problem ?? { code: "notFound" });
        return;
      }
      setOpen(false);
      if (redirectTo) router.push(redirectTo);
      router.refresh();
    });

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
            <p className="text-sm text-slate-600 dark:text-slate-400">{t("delete.body")}</p>
            {problem && <ProblemAlert problem={problem} />}
            <div className="flex justify-end gap-3">
              <Button onClick={() => setOpen(false)} disabled={pending} autoFocus>
                {t("delete.cancel")}
              </Button>
              <Button variant="danger" onClick={confirm} disabled={pending}>
                {t("delete.confirm")}
              </Button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
