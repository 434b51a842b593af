import { describe, expect, it } from "vitest";
import { clusterQueryString, parseClusterQuery } from "./cluster-query";

describe("parseClusterQuery", () => {
  it("defaults to 30 days against a 139/month ECS", () => {
    expect(parseClusterQuery({})).toEqual({ query: { days: 30, ecs: 139, runner: false }, errors: [] });
  });

  it("reads every field", () => {
    const { query, errors } = parseClusterQuery({
      connection: "ck1abc",
      days: "7",
      ecs: "200.5",
      runner: "1",
      currency: "USD",
    });
    expect(errors).toEqual([]);
    expect(query).toEqual({ connection: "ck1abc", days: 7, ecs: 200.5, runner: true, currency: "USD" });
    expect(parseClusterQuery(Object.fromEntries(new URLSearchParams(clusterQueryString(query)))).query).toEqual(query);
  });

  it.each([
    [{ days: "0" }, "days"],
    [{ days: "-3" }, "days"],
    [{ days: "abc" }, "days"],
    [{ days: "1000" }, "days"],
    [{ days: "2.5" }, "days"],
    [{ ecs: "0" }, "ecs"],
    [{ ecs: "lots" }, "ecs"],
    [{ ecs: "1e99" }, "ecs"],
    [{ connection: "../etc" }, "connection"],
    [{ runner: "maybe" }, "runner"],
    [{ currency: "EUR" }, "currency"],
  ])("reports %j and falls back to the default", (raw, field) => {
    const { query, errors } = parseClusterQuery(raw);
    expect(errors).toEqual([field]);
    expect(query).toMatchObject({ days: 30, ecs: 139 });
  });

  it("takes the first of repeated keys", () => {
    expect(parseClusterQuery({ days: ["7", "90"] }).query.days).toBe(7);
  });
});
