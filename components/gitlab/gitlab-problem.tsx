"use client";

import { useTranslations } from "next-intl";
import type { GitlabProblem } from "@/lib/gitlab/problems";

const UNKNOWN_PARAMS = Object.fromEntries(
  ["status", "path", "message", "detail", "protocol", "name", "field"].map((name) => [name, "…"]),
);

/** A GitlabProblem in the reader's language. */
export function useGitlabProblemText(): (problem: GitlabProblem) => string {
  const t = useTranslations("gitlab.problems");
  return (problem) => (t.has(problem.code) ? t(problem.code, { ...UNKNOWN_PARAMS, ...problem.params }) : problem.code);
}

export function GitlabProblemAlert({ problem }: { problem: GitlabProblem }) {
  const text = useGitlabProblemText();
  return (
    <p
      role="alert"
      className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
      data-problem={problem.code}
    >
      {text(problem)}
    </p>
  );
}
