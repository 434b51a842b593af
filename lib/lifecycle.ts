/**
 * Process lifecycle shared by the custom server (server/) and the app: whether shutdown has begun,
 * the steps to run on the way out, and the open Server-Sent Events streams to hand back to the
 * browser. Kept on globalThis because the server and the Next.js bundle load separate copies of
 * this module. Not server-only: the custom server imports it outside Next.js.
 */
export interface ShutdownStep {
  name: string;
  /** Runs once, in registration order; a failure is logged and the next step still runs. */
  run: () => Promise<void> | void;
}

interface LifecycleState {
  shuttingDown: boolean;
  steps: ShutdownStep[];
  streams: Set<() => void>;
}

const holder = globalThis as unknown as { askCiLifecycle?: LifecycleState };

function state(): LifecycleState {
  holder.askCiLifecycle ??= { shuttingDown: false, steps: [], streams: new Set() };
  return holder.askCiLifecycle;
}

export function isShuttingDown(): boolean {
  return state().shuttingDown;
}

export function onShutdown(step: ShutdownStep): void {
  state().steps.push(step);
}

/**
 * Registers an open SSE stream; `reconnect` must tell the browser to come back (to another
 * replica) and close the stream. Returns the function to call when the stream ends by itself.
 */
export function trackStream(reconnect: () => void): () => void {
  const streams = state().streams;
  if (state().shuttingDown) {
    reconnect();
    return () => {};
  }
  streams.add(reconnect);
  return () => streams.delete(reconnect);
}

export function openStreams(): number {
  return state().streams.size;
}

/**
 * Marks the process as shutting down (readiness fails from now on) and tells every open stream to
 * reconnect elsewhere. Idempotent.
 */
export function beginShutdown(): void {
  const current = state();
  if (current.shuttingDown) return;
  current.shuttingDown = true;
  for (const reconnect of [...current.streams]) {
    try {
      reconnect();
    } catch {
      // A stream the browser already closed.
    }
  }
  current.streams.clear();
}

/** Runs the registered shutdown steps in order; reports each failure and goes on. */
export async function runShutdownSteps(onError: (step: string, error: unknown) => void): Promise<void> {
  for (const step of state().steps) {
    try {
      await step.run();
    } catch (error) {
      onError(step.name, error);
    }
  }
}
