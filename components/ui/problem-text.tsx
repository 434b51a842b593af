"use client";

import { useTranslations } from "next-intl";
import { ErrorAlert } from "./error-alert";

/** A problem as the server reports it: a message code, its placeholders' values, maybe a form field. */
interface Problem {
  code: string;
  params?: Record<string, string | number>;
}

/**
 * A problem in the reader's language, from the catalog section that holds its codes. A recorded
 * problem may have kept only its code: placeholders it has no value for read as an ellipsis.
 */
export function useProblemText<P extends Problem>(
  section: "clusters.problems" | "gitlab.problems",
  placeholders: readonly string[],
): (problem: P) => string {
  const t = useTranslations(section);
  const unknown = Object.fromEntries(placeholders.map((name) => [name, "…"]));
  return (problem) => (t.has(problem.code) ? t(problem.code, { ...unknown, ...problem.params }) : problem.code);
}

export function ProblemMessage<P extends Problem>({ problem, text }: { problem: P; text: (problem: P) => string }) {
  return <ErrorAlert data-problem={problem.code}>{text(problem)}</ErrorAlert>;
}
