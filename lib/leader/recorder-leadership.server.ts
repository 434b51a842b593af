import "server-only";
import { env } from "@/lib/env.server";
import { onShutdown } from "@/lib/lifecycle";
import { log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { createLeaderElection, type LeaderElection } from "./election";

interface Recorder {
  start(): void;
  stop(): void;
  drain(): Promise<void>;
}

/**
 * Runs the job recorder only while this replica is the elected writer, and lets go of it on
 * shutdown: stop watching, finish the writes in flight, then release the lock for a standby.
 */
export function leadJobRecorder(recorder: Recorder): LeaderElection {
  const election = createLeaderElection(
    env().databaseUrl,
    {
      onElected() {
        metrics().leader.set(1);
        log().info("job recorder: this replica is the leader (the single job-record writer)");
        recorder.start();
      },
      async onDemoted() {
        metrics().leader.set(0);
        recorder.stop();
        await recorder.drain();
        log().info("job recorder: leadership released");
      },
      onError: (message) => log().warn(message),
    },
    { intervalMs: Number(process.env.ASK_CI_LEADER_RETRY_MS) || 5_000 },
  );
  metrics().leader.set(0);
  election.start();
  onShutdown({ name: "job recorder leadership", run: () => election.stop() });
  return election;
}
