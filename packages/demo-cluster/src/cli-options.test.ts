import { describe, expect, it } from "vitest";
import { parseDemoClusterArgs } from "./cli-options";

describe("parseDemoClusterArgs", () => {
  it("keeps the documented defaults and leaves the simulation's own to it", () => {
    expect(parseDemoClusterArgs([])).toEqual({
      kind: "run",
      options: {
        port: 6443,
        host: "127.0.0.1",
        kubeconfigPath: "./demo.kubeconfig",
        stateDir: "./data/demo-cluster",
        seed: 42,
        jobsPerMinute: undefined,
        speed: undefined,
        failureRate: undefined,
        watchWindow: undefined,
        spotNoticeMs: undefined,
        simulate: true,
        seedWorkload: undefined,
        logRequests: undefined,
      },
    });
  });

  it.each([
    [["--port", "0"], { port: 0 }],
    [
      ["--host", "::1", "--kubeconfig", "k.yaml", "--state", "/tmp/s"],
      { host: "::1", kubeconfigPath: "k.yaml", stateDir: "/tmp/s" },
    ],
    [["--seed", "7", "--jobs-per-minute", "0"], { seed: 7, jobsPerMinute: 0 }],
    [["--jobs-per-minute", "2.5"], { jobsPerMinute: 2.5 }],
    [["--speed", "1"], { speed: 1 }],
    [["--speed=0.5"], { speed: 0.5 }],
    [["--failure-rate", "0"], { failureRate: 0 }],
    [["--failure-rate", "1"], { failureRate: 1 }],
    [["--failure-rate", "0.1"], { failureRate: 0.1 }],
    [["--watch-window", "20"], { watchWindow: 20 }],
    [["--spot-notice", "5"], { spotNoticeMs: 5000 }],
    [["--spot-notice", "0.5"], { spotNoticeMs: 500 }],
    [["--no-simulation", "--empty", "--log-requests"], { simulate: false, seedWorkload: false, logRequests: true }],
  ])("%j", (args, expected) => {
    const parsed = parseDemoClusterArgs(args);
    expect(parsed.kind).toBe("run");
    if (parsed.kind === "run") expect(parsed.options).toMatchObject(expected);
  });

  it.each([
    [["--port", "70000"], '--port must be an integer from 0 to 65535, got "70000"'],
    [["--port", "1.5"], "--port must be an integer from 0 to 65535"],
    [["--seed=-1"], "--seed must be a non-negative integer"],
    [["--seed", "-1"], "argument is ambiguous"],
    [["--jobs-per-minute", "many"], '--jobs-per-minute must be a non-negative number, got "many"'],
    [["--speed", "0"], "--speed must be a number above 0"],
    [["--speed=-2"], "--speed must be a number above 0"],
    [["--speed", ""], "--speed must be a number above 0"],
    [["--failure-rate", "1.01"], "--failure-rate must be a number from 0 to 1"],
    [["--failure-rate=-0.1"], "--failure-rate must be a number from 0 to 1"],
    [["--failure-rate", "Infinity"], "--failure-rate must be a number from 0 to 1"],
    [["--watch-window", "0"], "--watch-window must be a positive integer"],
    [["--spot-notice=-1"], "--spot-notice must be a non-negative number of seconds"],
    [["--bogus"], "Unknown option '--bogus'"],
    [["--speed"], "--speed <value>"],
    [["extra"], "Unexpected argument 'extra'"],
  ])("%j is refused", (args, message) => {
    const parsed = parseDemoClusterArgs(args);
    expect(parsed.kind).toBe("error");
    if (parsed.kind === "error") expect(parsed.message).toContain(message);
  });

  it("--help wins over everything else", () => {
    expect(parseDemoClusterArgs(["--port", "1", "-h"])).toEqual({ kind: "help" });
  });
});
