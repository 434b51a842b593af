"use client";

import type { ConnectionProblem } from "@/lib/connections/problems";
import { ProblemMessage, useProblemText as useSectionProblemText } from "@/components/ui/problem-text";

// Every placeholder the clusters.problems messages use.
const PLACEHOLDERS = [
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
] as const;

/** A ConnectionProblem in the reader's language. */
export function useProblemText(): (problem: ConnectionProblem) => string {
  return useSectionProblemText("clusters.problems", PLACEHOLDERS);
}

export function ProblemAlert({ problem }: { problem: ConnectionProblem }) {
  return <ProblemMessage problem={problem} text={useProblemText()} />;
}
