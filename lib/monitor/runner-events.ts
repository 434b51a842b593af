import type { IEvent } from "kubernetes-models/v1/Event";
import { sortEvents, toEventDto, type EventDto } from "./pod-detail";

/** An event of a runner's Deployment, one of its ReplicaSets or one of their pods, naming which. */
export interface RunnerEventDto extends EventDto {
  /** "Deployment/ask-ci-demo", "ReplicaSet/ask-ci-demo-788d654c4f", "Pod/ask-ci-demo-788d654c4f-sf958". */
  object: string;
}

/** A runner manager pod as the runner panel offers it for its logs. */
export interface RunnerPodDto {
  name: string;
  phase: string;
  containers: Array<{ name: string; hasPrevious: boolean }>;
}

export interface RunnerActivity {
  pods: RunnerPodDto[];
  events: RunnerEventDto[];
}

interface Owned {
  metadata?: { name?: string; uid?: string; ownerReferences?: Array<{ uid: string; controller?: boolean }> };
}

/** Names of the objects whose controller (or any owner) is the object with this uid. */
export function ownedBy<T extends Owned>(items: readonly T[], ownerUid: string | undefined): T[] {
  if (!ownerUid) return [];
  return items.filter((item) => item.metadata?.ownerReferences?.some((ref) => ref.uid === ownerUid));
}

/** The events API's fieldSelector for the events about one object (as `kubectl describe` asks). */
export function involvedObjectSelector(kind: string, name: string): string {
  return `involvedObject.kind=${kind},involvedObject.name=${name}`;
}

/** Every object's events in one list, oldest first, each once (by uid) and labelled with its object. */
export function mergeRunnerEvents(
  perObject: Array<{ kind: string; name: string; events: IEvent[] }>,
): RunnerEventDto[] {
  const seen = new Set<string>();
  const merged: RunnerEventDto[] = [];
  for (const { kind, name, events } of perObject) {
    for (const event of events) {
      const dto = toEventDto(event);
      if (seen.has(dto.uid)) continue;
      seen.add(dto.uid);
      merged.push({ ...dto, object: `${kind}/${event.involvedObject?.name ?? name}` });
    }
  }
  return sortEvents(merged) as RunnerEventDto[];
}
