"use client";

import "@xterm/xterm/css/xterm.css";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ShellClientMessage, ShellServerMessage } from "@/lib/shell/bridge";
import type { PodSummary } from "@/lib/monitor/pod-summary";

type Ending = { key: "terminalExited" | "terminalIdle" | "terminalTimeLimit" | "terminalError"; values: object };

function endingOf(message: Extract<ShellServerMessage, { type: "exit" }>): Ending | null {
  switch (message.reason) {
    case "exited":
      return { key: "terminalExited", values: { code: message.code ?? "?" } };
    case "idle":
      return { key: "terminalIdle", values: {} };
    case "time-limit":
      return { key: "terminalTimeLimit", values: {} };
    case "error":
      return { key: "terminalError", values: { error: message.message ?? "" } };
    default:
      return null;
  }
}

/**
 * A terminal in one of the pod's running containers (operators). The browser asks for a one-use
 * ticket, then speaks to our server's WebSocket; the server holds the cluster credentials and opens
 * the pod's exec stream (lib/shell/, server/shell-socket.ts).
 */
export function TerminalSection({ cluster, pod, running }: { cluster: string; pod: PodSummary; running: string[] }) {
  const t = useTranslations("monitor.detail");
  const [container, setContainer] = useState((running.includes("build") ? "build" : running[0]) ?? "");
  const [session, setSession] = useState(0);
  const [open, setOpen] = useState(false);

  return (
    <section className="border-t border-slate-200 pt-4 dark:border-slate-800" aria-label={t("terminal")}>
      <h3 className="mb-2 font-semibold">{t("terminal")}</h3>
      {running.length === 0 ? (
        <p className="text-slate-500">{t("terminalNoContainer")}</p>
      ) : (
        <div className="mb-2 flex flex-wrap items-center gap-3 text-xs">
          <label className="flex items-center gap-1">
            {t("container")}
            <select
              value={container}
              disabled={open}
              onChange={(e) => setContainer(e.target.value)}
              className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
            >
              {running.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          {open ? (
            <Button onClick={() => setOpen(false)} variant="compact">
              {t("closeTerminal")}
            </Button>
          ) : (
            <Button
              onClick={() => {
                setSession((n) => n + 1);
                setOpen(true);
              }}
              variant="primary"
            >
              {t("openTerminal")}
            </Button>
          )}
        </div>
      )}
      {open && <PodTerminal key={session} cluster={cluster} pod={pod} container={container} />}
    </section>
  );
}

function PodTerminal({ cluster, pod, container }: { cluster: string; pod: PodSummary; container: string }) {
  const t = useTranslations("monitor.detail");
  const element = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"connecting" | "open" | "ended">("connecting");
  const [ending, setEnding] = useState<Ending | null>(null);
  const [limits, setLimits] = useState<{ idle: number; max: number } | null>(null);

  useEffect(() => {
    let disposed = false;
    let socket: WebSocket | undefined;
    let cleanup = () => {};
    (async () => {
      // xterm.js touches the DOM when loaded: only in the browser, only when a terminal opens.
      const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      if (disposed || !element.current) return;
      const terminal = new Terminal({ cursorBlink: true, fontSize: 13, scrollback: 5000 });
      const fit = new FitAddon();
      terminal.loadAddon(fit);
      terminal.open(element.current);
      // xterm.js stops rendering while its element is out of view (an IntersectionObserver): the
      // terminal opens below a long pod panel, so bring it into view or the prompt never shows.
      element.current.scrollIntoView?.({ block: "nearest" });
      fit.fit();
      const observer = new ResizeObserver(() => fit.fit());
      observer.observe(element.current);
      cleanup = () => {
        observer.disconnect();
        terminal.dispose();
      };

      const path = `/api/monitor/pods/${encodeURIComponent(pod.namespace)}/${encodeURIComponent(pod.name)}/shell`;
      const response = await fetch(`${path}?${new URLSearchParams({ cluster })}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ container, cols: terminal.cols, rows: terminal.rows }),
      });
      const body = (await response.json().catch(() => ({}))) as {
        url?: string;
        idleMs?: number;
        maxMs?: number;
        error?: string;
      };
      if (disposed) return;
      if (!response.ok || !body.url) {
        setEnding({ key: "terminalError", values: { error: body.error ?? response.statusText } });
        setState("ended");
        return;
      }
      setLimits({ idle: Math.round((body.idleMs ?? 0) / 60_000), max: Math.round((body.maxMs ?? 0) / 60_000) });
      const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
      socket = new WebSocket(`${scheme}//${window.location.host}${body.url}`);
      const send = (message: ShellClientMessage) => {
        if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
      };
      socket.onopen = () => {
        setState("open");
        // Again once connected: the panel above may have grown meanwhile (its events and logs load
        // while the shell connects), and an out-of-view terminal would not draw the prompt.
        element.current?.scrollIntoView?.({ block: "nearest" });
        terminal.focus();
      };
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as ShellServerMessage;
        if (message.type === "output") terminal.write(message.data);
        else {
          setEnding(endingOf(message));
          setState("ended");
        }
      };
      socket.onclose = () => setState("ended");
      terminal.onData((data) => send({ type: "input", data }));
      terminal.onResize(({ cols, rows }) => send({ type: "resize", cols, rows }));
    })().catch((error: unknown) => {
      if (disposed) return;
      setEnding({ key: "terminalError", values: { error: error instanceof Error ? error.message : String(error) } });
      setState("ended");
    });
    return () => {
      disposed = true;
      socket?.close();
      cleanup();
    };
  }, [cluster, pod.namespace, pod.name, container]);

  return (
    <div className="space-y-1" data-testid="pod-terminal" data-state={state}>
      <div ref={element} className="h-72 overflow-hidden rounded-lg bg-black p-1" />
      <p className="text-xs text-slate-500" role="status">
        {state === "connecting" && t("terminalConnecting")}
        {state === "open" && limits && t("terminalLimits", limits)}
        {state === "ended" && ending && t(ending.key, { ...ending.values, ...limits })}
      </p>
    </div>
  );
}
