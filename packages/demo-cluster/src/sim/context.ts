import type { Clock, ClusterStore } from "../types";
import type { EventRecorder } from "./event-recorder";
import type { LogBook } from "./log-book";
import type { PodScripts } from "./pod-scripts";
import type { SeededRandom } from "@ask-ci/seeded-random";

/** What every simulated controller works with. */
export interface SimContext {
  store: ClusterStore;
  clock: Clock;
  /** The controller's own random stream. */
  random: SeededRandom;
  events: EventRecorder;
  logs: LogBook;
  scripts: PodScripts;
  /** Controller errors go here; they never stop the simulation. */
  onError: (error: unknown) => void;
}
