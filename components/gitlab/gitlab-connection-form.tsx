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
import { Field, inputClass, textareaClass } from "@/components/ui/field";

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
  const error = (field: string) => {
    const code = fieldErrors[field];
    return code ? (tv.has(code) ? tv(code) : code) : undefined;
  };

  return (
    <form
      className={cardClass("max-w-2xl space-y-4")}
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <Field label={t("name")} error={error("name")} name="name">
        <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label={t("url")} hint={t("urlHelp")} error={error("url")} name="url">
        <input
          className={inputClass}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          aria-invalid={problem?.field === "url" || undefined}
        />
      </Field>
      <Field label={t("token")} hint={t("tokenHelp")} error={error("token")} name="token">
        <input
          className={inputClass}
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={problem?.field === "token" || undefined}
        />
      </Field>
      <Field label={t("ca")} hint={t("caHelp")} error={error("caCertificate")} name="caCertificate">
        <textarea
          className={textareaClass}
          rows={4}
          value={caCertificate}
          onChange={(e) => setCaCertificate(e.target.value)}
          placeholder="-----BEGIN CERTIFICATE-----"
          aria-invalid={problem?.field === "caCertificate" || undefined}
        />
      </Field>
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
