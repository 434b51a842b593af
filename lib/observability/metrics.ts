import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * ask-ci's Prometheus metrics. One registry per process, kept on globalThis: the custom server
 * (server/) and the Next.js bundle each load this module, and both must count into the same
 * registry. Not server-only: the custom server imports it outside Next.js.
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "askci_process_" });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: "askci_http_requests_total",
      help: "HTTP requests answered, by route pattern, method and status code.",
      labelNames: ["route", "method", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "askci_http_request_duration_seconds",
      help: "Time to the end of the response, by route pattern (SSE streams count until they close).",
      labelNames: ["route", "method"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    watchesOpen: new Gauge({
      name: "askci_upstream_watches_open",
      help: "Kubernetes watches this replica holds open (one per connection, namespace and selector).",
      registers,
    }),
    sseViewers: new Gauge({
      name: "askci_sse_viewers",
      help: "Server-Sent Events streams open to browsers, by stream.",
      labelNames: ["stream"] as const,
      registers,
    }),
    watchEvents: new Counter({
      name: "askci_watch_events_total",
      help: "Kubernetes watch events received (rate() gives events per second).",
      labelNames: ["type"] as const,
      registers,
    }),
    jobRecordsWritten: new Counter({
      name: "askci_job_records_written_total",
      help: "JobRecord rows this replica created (a duplicate observation does not count).",
      registers,
    }),
    upstreamCalls: new Counter({
      name: "askci_upstream_requests_total",
      help: "Requests to Kubernetes API servers and GitLab, by upstream and outcome (ok, client_error, server_error, network_error).",
      labelNames: ["upstream", "outcome"] as const,
      registers,
    }),
    leader: new Gauge({
      name: "askci_leader",
      help: "1 while this replica is the single job-record writer, else 0.",
      registers,
    }),
    ready: new Gauge({
      name: "askci_ready",
      help: "1 while /readyz answers 200 (database reachable and migrated, not shutting down).",
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const holder = globalThis as unknown as { askCiMetrics?: Metrics };

export function metrics(): Metrics {
  holder.askCiMetrics ??= createMetrics();
  return holder.askCiMetrics;
}
