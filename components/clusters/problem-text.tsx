"use client";

import { useTranslations } from "next-intl";
import type { ConnectionProblem } from "@/lib/connections/problems";

// A recorded health error keeps only its code; its placeholders then read as an ellipsis.
const UNKNOWN_PARAMS = Object.fromEntries(
  [
    "limitKiB",
    "line",
    "count",
    "context",
    "cluster",
    "user",
    "field",
    "protocol",
    "notAfter",
    "notBefore",
    "detail",
    "status",
    "name",
  ].map((name) => [name, "…"]),
);

/** A ConnectionProblem in the reader's language. */
export function useProblemText(): (problem: ConnectionProblem) => string {
  const t = useTranslations("clusters.problems");
  return (problem) => (t.has(problem.code) ? t(problem.code, { ...UNKNOWN_PARAMS, ...problem.params }) : problem.code);
}

export function ProblemAlert({ problem }: { problem: ConnectionProblem }) {
  const text = useProblemText();
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
