"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { JobOrphan, PodOrphan } from "@/lib/gitlab/monitor-orphans";
import { formatDuration } from "@/lib/monitor/table";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";

/**
 * Orphans both ways: a GitLab job running on our runner with no pod (the runner lost it; GitLab
 * notices only at the job timeout), and a pod still alive and billing whose GitLab job already
 * ended (the runner did not clean it up), with the action to delete that pod.
 */
export function GitlabOrphans({
  cluster,
  jobsWithoutPods,
  podsWithoutJobs,
  onSelectPod,
}: {
  cluster: string;
  jobsWithoutPods: JobOrphan[];
  podsWithoutJobs: PodOrphan[];
  onSelectPod: (uid: string) => void;
}) {
  const t = useTranslations("monitor.orphans");
  if (jobsWithoutPods.length === 0 && podsWithoutJobs.length === 0) return null;
  return (
    <section
      aria-label={t("heading")}
      data-testid="gitlab-orphans"
      className="mb-4 rounded-lg border border-amber-300 p-3 text-sm dark:border-amber-800"
    >
      <h2 className="font-semibold text-amber-800 dark:text-amber-300">{t("heading")}</h2>
      <ul className="mt-2 space-y-2">
        {podsWithoutJobs.map((orphan) => (
          <PodOrphanItem key={orphan.pod.uid} cluster={cluster} orphan={orphan} onSelectPod={onSelectPod} />
        ))}
        {jobsWithoutPods.map((orphan) => (
          <li
            key={`${orphan.job.gitlabConnectionId}:${orphan.job.jobId}`}
            data-testid="orphan-job"
            data-job-id={orphan.job.jobId}
          >
            {t("jobWithoutPod", {
              job: `${orphan.job.name} #${orphan.job.jobId}`,
              project: orphan.job.projectPath ?? "—",
              duration: formatDuration(orphan.runningForMs),
            })}{" "}
            <JobLinks orphan={orphan} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function JobLinks({ orphan }: { orphan: JobOrphan | PodOrphan }) {
  const t = useTranslations("monitor.orphans");
  const { job } = orphan;
  return (
    <>
      {job.webUrl ? (
        <a
          href={job.webUrl}
          target="_blank"
          rel="noreferrer"
          className="text-orange-700 hover:underline dark:text-orange-400"
        >
          {t("openInGitlab")}
        </a>
      ) : null}
      {job.pipelineId !== null ? (
        <Link
          href={`/pipelines/${job.gitlabConnectionId}/${job.pipelineId}`}
          prefetch={false}
          className="ml-2 text-orange-700 hover:underline dark:text-orange-400"
        >
          {t("pipeline", { id: job.pipelineId })}
        </Link>
      ) : null}
    </>
  );
}

function PodOrphanItem({
  cluster,
  orphan,
  onSelectPod,
}: {
  cluster: string;
  orphan: PodOrphan;
  onSelectPod: (uid: string) => void;
}) {
  const t = useTranslations("monitor.orphans");
  // Deleting a pod fails its job: an operator's decision (the route refuses viewers too).
  const canDelete = useCan("operator");
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const { pod, job } = orphan;
  const remove = async () => {
    setConfirming(false);
    const path = `/api/monitor/pods/${encodeURIComponent(pod.namespace)}/${encodeURIComponent(pod.name)}`;
    const response = await fetch(`${path}?${new URLSearchParams({ cluster })}`, { method: "DELETE" });
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    setMessage(response.ok ? t("deleted") : (body.error ?? response.statusText));
  };
  return (
    <li data-testid="orphan-pod" data-pod-name={pod.name}>
      {t("podWithoutJob", {
        pod: pod.name,
        job: `${job.name} #${job.jobId}`,
        status: job.status,
        duration: formatDuration(Number.isFinite(orphan.finishedForMs) ? orphan.finishedForMs : null),
      })}{" "}
      <JobLinks orphan={orphan} />
      <span className="ml-2 inline-flex gap-2">
        <Button variant="compact" onClick={() => onSelectPod(pod.uid)}>
          {t("show")}
        </Button>
        {!canDelete ? null : confirming ? (
          <>
            <Button variant="danger" onClick={remove}>
              {t("deleteConfirm", { name: pod.name })}
            </Button>
            <Button variant="compact" onClick={() => setConfirming(false)}>
              {t("cancel")}
            </Button>
          </>
        ) : (
          <Button variant="dangerCompact" onClick={() => setConfirming(true)}>
            {t("delete")}
          </Button>
        )}
      </span>
      {message ? (
        <span role="status" className="ml-2">
          {message}
        </span>
      ) : null}
    </li>
  );
}
