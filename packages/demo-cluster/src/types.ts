// Contract between the demo cluster's API layer (store, HTTP server) and its simulated
// controllers (scheduler/kubelet on the ECI virtual node, Deployment/ReplicaSet, ImageCache,
// GitLab Runner workload). Controllers never speak HTTP: they read and write the store directly,
// and every write through the store bumps the cluster-wide resourceVersion and notifies watchers.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
  finalizers?: string[];
  generateName?: string;
  managedFields?: unknown[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Identifies a kind the store serves, e.g. { apiVersion: "v1", kind: "Pod" }. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface ListOptions {
  namespace?: string;
  /** Kubernetes label selector syntax, e.g. "app=gitlab-runner,tier!=x". */
  labelSelector?: string;
}

/**
 * What the simulated controllers use. Errors are thrown as the store's ApiError
 * (with an HTTP code and Kubernetes reason), e.g. 404 NotFound, 409 AlreadyExists/Conflict.
 */
export interface ClusterStore {
  get(ref: KindRef, namespace: string | undefined, name: string): KubeObject | undefined;
  list(ref: KindRef, options?: ListOptions): KubeObject[];
  /** Assigns uid, resourceVersion, creationTimestamp (and a name from generateName). */
  create(object: KubeObject): KubeObject;
  /** Replaces the object; when object.metadata.resourceVersion is set and stale, throws 409 Conflict. */
  update(object: KubeObject): KubeObject;
  /** Replaces only .status (as PUT .../status does). */
  updateStatus(object: KubeObject): KubeObject;
  /**
   * Deletes as the API server would: a pod with a grace period gets deletionTimestamp set first
   * (the simulated kubelet finishes it by calling delete again with gracePeriodSeconds 0);
   * propagationPolicy Background/Foreground removes dependents by ownerReferences.
   */
  delete(
    ref: KindRef,
    namespace: string | undefined,
    name: string,
    options?: { gracePeriodSeconds?: number; propagationPolicy?: "Background" | "Foreground" | "Orphan" },
  ): KubeObject | undefined;
  /** Every change to every object, in resourceVersion order. Returns an unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void;
}

/** Pod logs are produced by the simulated kubelet and read by GET .../pods/{name}/log. */
/** One line of a container's log and when it was written (ms since the epoch), as the runtime's log file keeps it. */
export interface TimedLogLine {
  time: number;
  text: string;
}

export interface PodLogSource {
  /** Lines written so far (previous = the container's previous instance). */
  read(namespace: string, pod: string, container: string, options?: { previous?: boolean }): string[] | undefined;
  /** The same lines with the time each was written: what timestamps, sinceSeconds and sinceTime read. */
  readTimed(
    namespace: string,
    pod: string,
    container: string,
    options?: { previous?: boolean },
  ): TimedLogLine[] | undefined;
  /** Calls onLine for each new line until the container stops (then onEnd) or the returned function is called. */
  follow(
    namespace: string,
    pod: string,
    container: string,
    onLine: (line: string, time: number) => void,
    onEnd: () => void,
  ): () => void;
}

/** The clock every controller uses, so tests can run the simulation fast and deterministically. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): () => void;
}
