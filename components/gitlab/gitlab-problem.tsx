"use client";

import type { GitlabProblem } from "@/lib/gitlab/problems";
import { ProblemMessage, useProblemText } from "@/components/ui/problem-text";

// Every placeholder the gitlab.problems messages use.
const PLACEHOLDERS = ["status", "path", "message", "detail", "protocol", "name", "field"] as const;

/** A GitlabProblem in the reader's language. */
export function useGitlabProblemText(): (problem: GitlabProblem) => string {
  return useProblemText("gitlab.problems", PLACEHOLDERS);
}

export function GitlabProblemAlert({ problem }: { problem: GitlabProblem }) {
  return <ProblemMessage problem={problem} text={useGitlabProblemText()} />;
}
