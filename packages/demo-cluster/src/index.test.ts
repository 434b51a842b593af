import { afterEach, describe, expect, it, vi } from "vitest";
import type { SimulationOptions } from "./sim";

const simulationOptions: SimulationOptions[] = [];
vi.mock("./sim", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./sim")>();
  return {
    ...actual,
    startSimulation: (store: Parameters<typeof actual.startSimulation>[0], options: SimulationOptions) => {
      simulationOptions.push(options);
      return actual.startSimulation(store, options);
    },
  };
});

const { startDemoCluster } = await import("./index");

describe("startDemoCluster options", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
    simulationOptions.length = 0;
  });

  it("hands speed, failureRate, eventTtlMs and jobsPerMinute to the simulation", async () => {
    const cluster = await startDemoCluster({
      port: 0,
      seedWorkload: false,
      speed: 2.5,
      failureRate: 0.3,
      eventTtlMs: 120_000,
      jobsPerMinute: 9,
      seed: 4,
    });
    stop = cluster.stop;
    expect(simulationOptions).toHaveLength(1);
    expect(simulationOptions[0]).toMatchObject({
      speed: 2.5,
      failureRate: 0.3,
      eventTtlMs: 120_000,
      jobsPerMinute: 9,
      seed: 4,
    });
  });

  it("leaves the simulation's defaults alone when not given", async () => {
    const cluster = await startDemoCluster({ port: 0, seedWorkload: false });
    stop = cluster.stop;
    expect(simulationOptions[0]).toMatchObject({
      speed: undefined,
      failureRate: undefined,
      eventTtlMs: undefined,
      jobsPerMinute: undefined,
    });
  });

  it("starts no simulation with simulate: false", async () => {
    const cluster = await startDemoCluster({ port: 0, simulate: false, speed: 3 });
    stop = cluster.stop;
    expect(simulationOptions).toHaveLength(0);
  });

  it.each([
    [{ speed: 0 }, "speed must be above 0, got 0"],
    [{ speed: Number.NaN }, "speed must be above 0"],
    [{ failureRate: 1.5 }, "failureRate must be from 0 to 1, got 1.5"],
    [{ failureRate: -0.1 }, "failureRate must be from 0 to 1"],
  ])("refuses %j before listening", async (options, message) => {
    await expect(startDemoCluster({ port: 0, ...options })).rejects.toThrow(message);
    expect(simulationOptions).toHaveLength(0);
  });
});
