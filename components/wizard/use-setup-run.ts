"use client";

import { useCallback, useState } from "react";
import type { ApplyEvent, ApplyMode, ObjectRef, ObjectResult, RolloutStatus } from "@/lib/apply/types";
import { takeSseEvents } from "@/lib/sse";

export interface RunState {
  mode?: ApplyMode;
  running: boolean;
  objects: ObjectRef[];
  results: Array<ObjectResult | undefined>;
  rollout?: RolloutStatus;
  done?: Extract<ApplyEvent, { type: "done" }>;
  /** A refusal before anything ran (400/422 JSON), or a lost connection. */
  error?: string;
}

const IDLE: RunState = { running: false, objects: [], results: [] };

export function reduceRun(state: RunState, event: ApplyEvent): RunState {
  switch (event.type) {
    case "plan":
      return { ...state, objects: event.objects, results: event.objects.map(() => undefined) };
    case "object": {
      const results = [...state.results];
      results[event.index] = event.result;
      return { ...state, results };
    }
    case "rollout":
      return { ...state, rollout: event.status };
    case "done":
      return { ...state, running: false, done: event, rollout: event.rollout ?? state.rollout };
  }
}

/** Starts a dry run / apply / uninstall and follows its event stream. */
export function useSetupRun(profileId: string) {
  const [state, setState] = useState<RunState>(IDLE);
  const start = useCallback(
    async (mode: ApplyMode, confirm?: string) => {
      setState({ ...IDLE, mode, running: true });
      try {
        const response = await fetch("/api/setup/run", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ profileId, mode, confirm }),
        });
        if (!response.ok || !response.body) {
          const body = (await response.json().catch(() => ({}))) as {
            error?: string;
            issues?: Array<{ path: string; message: string }>;
          };
          const details = body.issues?.map((i) => `${i.path}: ${i.message}`).join("\n");
          setState((s) => ({
            ...s,
            running: false,
            error: [body.error ?? `HTTP ${response.status}`, details].filter(Boolean).join("\n"),
          }));
          return;
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const taken = takeSseEvents(buffer + value);
          buffer = taken.rest;
          for (const data of taken.events) {
            const event = JSON.parse(data) as ApplyEvent;
            setState((s) => reduceRun(s, event));
          }
        }
        setState((s) => (s.running ? { ...s, running: false, error: s.done ? undefined : "connectionLost" } : s));
      } catch (error) {
        setState((s) => ({ ...s, running: false, error: error instanceof Error ? error.message : String(error) }));
      }
    },
    [profileId],
  );
  return { state, start };
}
