"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  createGitlabConnectionAction,
  testGitlabConnectionAction,
  type GitlabActionResult,
} from "@/app/(dashboard)/gitlab/actions";
import type { GitlabTestReport } from "@/lib/gitlab/dto";
import type { GitlabProblem } from "@/lib/gitlab/problems";
import { GitlabProblemAlert } from "./gitlab-problem";
import { GitlabTestReportView } from "./gitlab-test-report";
import { Button } from "@/components/ui/button";
import { cardClass } from "@/components/ui/card";
import { inputClass, textareaClass } from "@/components/ui/field";

/** Add a GitLab instance: URL, access token, optional CA. Tested against GitLab before it is saved. */
export function GitlabConnectionForm() {
  const t = useTranslations("gitlab.form");
  const tv = useTranslations("gitlab.validation");
  const router = useRouter();
  const [name, setName] = useState("gitlab");
  const [url, setUrl] = useState("https://gitlab.com");
  const [token, setToken] = useState("");
  const [caCertificate, setCaCertificate] = useState("");
  const [report, setReport] = useState<GitlabTestReport | null>(null);
  const [problem, setProblem] = useState<GitlabProblem | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();

  const credentials = { url, token, ...(caCertificate.trim() ? { caCertificate } : {}) };
  const show = <T,>(result: GitlabActionResult<T>) => {
    setProblem(result.ok ? null : (result.problem ?? null));
    setFieldErrors(result.ok ? {} : (result.fieldErrors ?? {}));
  };
  const test = () =>
    startTransition(async () => {
      const result = await testGitlabConnectionAction(credentials);
      show(result);
      setReport(result.ok ? result.value : null);
    });
  const save = () =>
    startTransition(async () => {
      const result = await createGitlabConnectionAction({ name, credentials });
      show(result);
      if (result.ok) {
        router.push("/gitlab");
        router.refresh();
      }
    });
  const error = (field: string) =>
    fieldErrors[field] ? (
      <span className="mt-1 block text-xs text-red-700 dark:text-red-400">
        {tv.has(fieldErrors[field]) ? tv(fieldErrors[field]) : fieldErrors[field]}
      </span>
    ) : null;

  return (
    <form
      className={cardClass("max-w-2xl space-y-4")}
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <label className="block text-sm font-medium">
        {t("name")}
        <input
          className={inputClass}
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={!!fieldErrors.name}
        />
        {error("name")}
      </label>
      <label className="block text-sm font-medium">
        {t("url")}
        <input
          className={inputClass}
          name="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          aria-invalid={!!fieldErrors.url || problem?.field === "url"}
        />
        <span className="mt-1 block text-xs font-normal text-slate-500">{t("urlHelp")}</span>
        {error("url")}
      </label>
      <label className="block text-sm font-medium">
        {t("token")}
        <input
          className={inputClass}
          name="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={!!fieldErrors.token || problem?.field === "token"}
        />
        <span className="mt-1 block text-xs font-normal text-slate-500">{t("tokenHelp")}</span>
        {error("token")}
      </label>
      <label className="block text-sm font-medium">
        {t("ca")}
        <textarea
          className={textareaClass}
          name="caCertificate"
          rows={4}
          value={caCertificate}
          onChange={(e) => setCaCertificate(e.target.value)}
          placeholder="-----BEGIN CERTIFICATE-----"
          aria-invalid={!!fieldErrors.caCertificate || problem?.field === "caCertificate"}
        />
        <span className="mt-1 block text-xs font-normal text-slate-500">{t("caHelp")}</span>
        {error("caCertificate")}
      </label>
      {problem && <GitlabProblemAlert problem={problem} />}
      {report && <GitlabTestReportView report={report} />}
      <div className="flex gap-3">
        <Button onClick={test} disabled={pending}>
          {t("test")}
        </Button>
        <Button type="submit" variant="primary" disabled={pending}>
          {t("save")}
        </Button>
      </div>
    </form>
  );
}
