/**
 * Pieces the monitor benchmarks share (this folder is not a benchmark: `npm run bench` runs only
 * the .ts files directly in scripts/bench/).
 */
import https from "node:https";
import { parse as parseYaml } from "yaml";
import { percentile } from "@/lib/job-history/aggregates";

export const BENCH_NAMESPACE = "bench";

/** Nearest-rank percentile (lib/job-history/aggregates'), NaN for no values so a report line still prints. */
export function percentileOrNaN(values: readonly number[], p: number): number {
  return percentile(values, p) ?? NaN;
}

type Container = { name: string; image: string; env?: Array<{ name: string; value: string }>; resources?: unknown };

/** A job pod labelled and annotated as GitLab Runner's Kubernetes executor does; `i` makes it unique. */
export function benchJobPod(
  i: number,
  containers: Container[] = [{ name: "build", image: "alpine", resources: { limits: { cpu: "1", memory: "2Gi" } } }],
) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `runner-bench-project-${i % 50}-concurrent-0-${String(i).padStart(6, "0")}`,
      namespace: BENCH_NAMESPACE,
      labels: {
        "job.runner.gitlab.com/pod": `runner-bench-project-${i % 50}`,
        "manager.runner.gitlab.com/name": "bench",
      },
      annotations: {
        "job.runner.gitlab.com/id": String(i),
        "job.runner.gitlab.com/url": `https://gitlab.example.com/g/p${i % 50}/-/jobs/${i}`,
        "job.runner.gitlab.com/name": "test",
      },
    },
    spec: { containers },
  };
}

/** A keep-alive JSON client for the demo cluster's admin kubeconfig (bearer token, CA data). */
export function kubeRequester(kubeconfig: string) {
  const doc = parseYaml(kubeconfig) as {
    clusters: Array<{ cluster: { server: string; "certificate-authority-data": string } }>;
    users: Array<{ user: { token: string } }>;
  };
  const server = new URL(doc.clusters[0].cluster.server);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 32,
    ca: Buffer.from(doc.clusters[0].cluster["certificate-authority-data"], "base64"),
  });
  const token = doc.users[0].user.token;
  return (method: string, pathname: string, body: unknown, contentType = "application/json") =>
    new Promise<{ metadata?: { resourceVersion?: string } }>((resolve, reject) => {
      const req = https.request(
        {
          host: server.hostname,
          port: server.port,
          path: pathname,
          method,
          agent,
          headers: { authorization: `Bearer ${token}`, "content-type": contentType, accept: "application/json" },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            res.statusCode && res.statusCode < 300
              ? resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")))
              : reject(new Error(`${method} ${pathname}: ${res.statusCode}`)),
          );
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify(body));
    });
}
