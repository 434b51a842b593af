import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/guard.server";
import { firstRunChecklist, firstRunDone, mayDoStep } from "@/lib/home/first-run";
import { firstRunFacts } from "@/lib/home/first-run.server";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Chip } from "@/components/ui/chip";
import { PageHeader } from "@/components/ui/page-header";

/** The first-run checklist until every step is done; then home is the monitor. */
export default async function HomePage() {
  const user = await requireUser();
  const items = firstRunChecklist(await firstRunFacts());
  if (firstRunDone(items)) redirect("/monitor");
  const t = await getTranslations("home");
  const next = items.find((item) => !item.done && item.ready && mayDoStep(item, user.role));
  return (
    <>
      <PageHeader title={t("title")}>
        <ButtonLink href="/monitor" variant="compact">
          {t("skip")}
        </ButtonLink>
      </PageHeader>
      <p className="mb-4 max-w-2xl text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
      <ol className="grid max-w-3xl gap-3" data-testid="first-run">
        {items.map((item, index) => (
          <li key={item.step} data-step={item.step} data-done={item.done}>
            <Card className="flex flex-wrap items-start gap-4">
              <span
                aria-hidden
                className={`flex h-8 w-8 shrink-0 items-center justify-center rounded-full text-sm font-semibold ${
                  item.done
                    ? "bg-emerald-600 text-white"
                    : "border border-slate-300 text-slate-500 dark:border-slate-700"
                }`}
              >
                {item.done ? "✓" : index + 1}
              </span>
              <div className="min-w-0 flex-1">
                <h2 className="font-semibold">{t(`steps.${item.step}.title`)}</h2>
                <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t(`steps.${item.step}.body`)}</p>
              </div>
              <div className="flex items-center gap-3">
                <Chip tone={item.done ? "ok" : "neutral"}>
                  {item.done ? t("done") : item.ready ? t("todo") : t("later")}
                </Chip>
                {item.ready && !item.done && !mayDoStep(item, user.role) ? (
                  <span className="text-sm text-slate-500">{t(`needsRole.${item.role}`)}</span>
                ) : (
                  item.ready && (
                    <ButtonLink href={item.href} variant={item === next ? "primary" : "compact"}>
                      {item.step === "connect" && item.done
                        ? t("steps.connect.doneAction")
                        : t(`steps.${item.step}.action`)}
                    </ButtonLink>
                  )
                )}
              </div>
            </Card>
          </li>
        ))}
      </ol>
    </>
  );
}
