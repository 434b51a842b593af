import "server-only";
import { db } from "@/lib/db.server";
import { describeDatabaseError } from "@/lib/db/error-description";
import { SharedResources, type Lease } from "@/lib/monitor/shared-resource";
import { StoredViewWatch } from "./pipeline-watch";
import { storedPipelineDetail, type PipelineDetail } from "./pipelines.server";

type PipelineWatch = StoredViewWatch<PipelineDetail>;

// Kept a little after the last viewer leaves, so a reload reuses the watch.
const LINGER_MS = 5_000;

const key = (gitlabConnectionId: string, pipelineId: number) => `${gitlabConnectionId}:${pipelineId}`;

// On globalThis: the webhook route and the stream route are separate bundles, and the nudge must reach
// the watch the viewers hold.
const holder = globalThis as unknown as { askCiPipelineWatches?: SharedResources<PipelineWatch> };

function watches(): SharedResources<PipelineWatch> {
  holder.askCiPipelineWatches ??= new SharedResources<PipelineWatch>(
    (id) => {
      const [gitlabConnectionId, pipelineId] = id.split(":");
      const watch = new StoredViewWatch(() => storedPipelineDetail(gitlabConnectionId, Number(pipelineId)), {
        describeError: describeDatabaseError,
      });
      watch.start();
      return watch;
    },
    (watch) => watch.stop(),
    LINGER_MS,
  );
  return holder.askCiPipelineWatches;
}

/**
 * The watch of a stored pipeline's view, shared by its viewers on this replica; null when no such
 * pipeline is stored (a watch is never started for ids that do not exist).
 */
export async function watchPipeline(
  gitlabConnectionId: string,
  pipelineId: number,
): Promise<Lease<PipelineWatch> | null> {
  const stored = await db.gitlabPipeline.findUnique({
    where: { gitlabConnectionId_pipelineId: { gitlabConnectionId, pipelineId } },
    select: { id: true },
  });
  return stored ? watches().acquire(key(gitlabConnectionId, pipelineId)) : null;
}

/** A delivery to this replica changed these pipelines: their open pages hear it now, not at the next check. */
export function nudgePipelineWatches(gitlabConnectionId: string, pipelineIds: readonly number[]): void {
  for (const pipelineId of pipelineIds) void watches().peek(key(gitlabConnectionId, pipelineId))?.check();
}
