import type { Clock } from "./types";

/** Wall-clock time for the store, the server and the simulation; timers do not keep the process alive on their own. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, Math.max(0, ms));
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};
