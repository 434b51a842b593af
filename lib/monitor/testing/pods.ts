import type { Pod } from "@/lib/kube/pod";

/** A GitLab Runner job pod as the Kubernetes executor creates it (trimmed to what we read). */
export function jobPod(
  uid: string,
  rv: string,
  phase: "Pending" | "Running" | "Succeeded" | "Failed",
  extra: { created?: string; started?: string; finished?: string } = {},
): Pod {
  const created = extra.created ?? "2026-01-01T00:00:00Z";
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      uid,
      name: `runner-abc-project-7-concurrent-0-${uid}`,
      namespace: "gitlab-runner",
      resourceVersion: rv,
      creationTimestamp: created,
      labels: {
        "job.runner.gitlab.com/pod": "runner-abc-project-7-concurrent-0",
        "manager.runner.gitlab.com/name": "ask-runner",
        "project.runner.gitlab.com/id": "7",
      },
      annotations: {
        "job.runner.gitlab.com/id": "42",
        "job.runner.gitlab.com/url": "https://gitlab.example.com/group/app/-/jobs/42",
        "job.runner.gitlab.com/ref": "main",
        "job.runner.gitlab.com/name": "test",
        "k8s.aliyun.com/eci-instance-spec": "2.0-4.0Gi",
      },
      managedFields: [{ manager: "kubelet" }],
    },
    spec: {
      containers: [
        { name: "build", image: "alpine", env: [{ name: "CI_JOB_TOKEN", value: "secret-token" }] },
        { name: "helper", image: "helper" },
      ],
    },
    status: {
      phase,
      ...(extra.started ? { startTime: extra.started } : {}),
      containerStatuses: extra.finished
        ? [
            {
              name: "build",
              image: "alpine",
              imageID: "",
              ready: false,
              restartCount: 0,
              state: {
                terminated: {
                  exitCode: phase === "Succeeded" ? 0 : 1,
                  reason: phase === "Succeeded" ? "Completed" : "Error",
                  finishedAt: extra.finished,
                },
              },
            },
          ]
        : [],
    },
  };
}
