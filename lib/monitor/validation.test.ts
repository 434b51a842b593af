import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MONITOR_GITLAB_PAGE } from "@/lib/gitlab/monitor-facts-pages";
import {
  historyQuerySchema,
  issuesByField,
  logQuerySchema,
  monitorGitlabQuerySchema,
  searchParamsObject,
  streamQuerySchema,
} from "./validation";

const parse = <T>(schema: { safeParse: (v: unknown) => T }, query: string) =>
  schema.safeParse(searchParamsObject(new URLSearchParams(query)));

describe("monitor query validation", () => {
  it.each([
    ["", true],
    ["namespace=gitlab-runner&cluster=demo", true],
    ["namespace=Bad_NS", false],
    ["namespace=a%2Fb", false],
  ])("stream %s -> %s", (query, ok) => {
    expect(parse(streamQuerySchema, query)).toMatchObject({ success: ok });
  });

  it("defaults the namespace", () => {
    expect(streamQuerySchema.parse({})).toEqual({ namespace: "gitlab-runner" });
  });

  it.each([
    ["container=build", true],
    ["container=build&follow=true&tailLines=100", true],
    ["", false],
    ["container=build&tailLines=-1", false],
    ["container=build&tailLines=abc", false],
    ["container=../etc", false],
    ["container=build&follow=yes", false],
  ])("logs %s -> %s", (query, ok) => {
    expect(parse(logQuerySchema, query)).toMatchObject({ success: ok });
  });

  it.each([
    ["", true],
    ["status=Vanished&from=2026-01-01&to=2026-01-31&page=2", true],
    ["status=Running", false],
    ["result=canceled&status=Vanished", true],
    ["result=unknown", true],
    ["result=passed", false],
    ["from=2026-02-01&to=2026-01-01", false],
    ["from=yesterday", false],
    ["pageSize=5000", false],
  ])("history %s -> %s", (query, ok) => {
    expect(parse(historyQuerySchema, query)).toMatchObject({ success: ok });
  });
});

describe("the monitor's GitLab query", () => {
  it.each([
    ["", true, []],
    ["jobs=3,1,3", true, [3, 1]],
    ["jobs=1,,2", false, null],
    ["jobs=1;DROP", false, null],
    [`jobs=${Array.from({ length: 1001 }, (_, i) => i + 1).join(",")}`, false, null],
  ])("%s → %s", (query, ok, jobs) => {
    const parsed = monitorGitlabQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(query)));
    expect(parsed.success).toBe(ok);
    if (parsed.success) expect(parsed.data.jobs).toEqual(jobs);
  });

  it.each([
    ["after=1200:cm1abc_-x", true, { jobId: 1200, gitlabConnectionId: "cm1abc_-x" }],
    ["", true, null],
    ["after=1200", false, null],
    ["after=x:abc", false, null],
    ["after=12:a%2Fb", false, null],
    ["after=12:abc&jobs=1,2", false, null],
  ])("page of active jobs %s → %s", (query, ok, after) => {
    const parsed = monitorGitlabQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(query)));
    expect(parsed.success).toBe(ok);
    if (parsed.success) expect(parsed.data.after).toEqual(after);
  });
});

describe("query details", () => {
  it.each([
    ["follow=true", true],
    ["follow=1", true],
    ["follow=false", false],
    ["follow=0", false],
    ["", false],
  ])("log flag %s -> %s", (query, follow) => {
    expect(logQuerySchema.parse(searchParamsObject(new URLSearchParams(`container=build&${query}`))).follow).toBe(
      follow,
    );
  });

  it.each([
    ["from=2026-01-01", true],
    ["to=2026-01-01", true],
    ["from=2026-01-01&to=2026-01-01", true],
    ["from=2026-01-02&to=2026-01-01", false],
  ])("history dates %s -> %s", (query, ok) => {
    expect(parse(historyQuerySchema, query)).toMatchObject({ success: ok });
  });

  it("drops empty parameters (an empty filter means any)", () => {
    expect(searchParamsObject(new URLSearchParams("project=&status=Finished"))).toEqual({ status: "Finished" });
  });

  it("takes exactly one page of job ids", () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(",");
    expect(parse(monitorGitlabQuerySchema, `jobs=${ids(MONITOR_GITLAB_PAGE)}`)).toMatchObject({ success: true });
    expect(parse(monitorGitlabQuerySchema, `jobs=${ids(MONITOR_GITLAB_PAGE + 1)}`)).toMatchObject({ success: false });
  });

  it("reports zod issues by field, the first message of each, '_' for the whole query", () => {
    const error = historyQuerySchema.safeParse({ page: "x", from: "2026-01-02", to: "2026-01-01" }).error!;
    expect(issuesByField(error)).toEqual({ page: "page must be a number" });
    const whole = monitorGitlabQuerySchema.safeParse({ jobs: "1", after: "1:a" }).error!;
    expect(issuesByField(whole)).toEqual({ after: "Ask for job ids or a page of active jobs, not both" });
    const nested = z.object({ a: z.object({ b: z.string() }) }).refine(() => false, { message: "root" });
    expect(issuesByField(nested.safeParse({ a: { b: 1 } }).error!)).toMatchObject({ "a.b": expect.any(String) });
    expect(issuesByField(z.string().safeParse(1).error!)).toEqual({ _: expect.any(String) });
  });
});
