/**
 * A Go `time.Duration` as its String() writes it ("1h0m0s", "2m30s", "1.5s", "500ms"), in
 * seconds; null for anything else. gitlab-runner writes the job's timeout this way in the job
 * pod's `job.runner.gitlab.com/timeout` annotation (executors/kubernetes/kubernetes.go, v19.3.0:2402).
 */
const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/;
const PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;

export function parseGoDuration(text: string | undefined | null): number | null {
  if (!text || text.length > 64) return null;
  if (text === "0s") return 0;
  if (!DURATION.test(text)) return null;
  let seconds = 0;
  for (const [, value, unit] of text.matchAll(PART)) seconds += Number(value) * UNIT_SECONDS[unit];
  return Number.isFinite(seconds) ? seconds : null;
}
