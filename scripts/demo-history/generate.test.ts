import { describe, expect, it } from "vitest";
import { jobRecordData } from "../../lib/job-history/record";
import { defaultPriceBook } from "../../lib/cost/prices";
import { podJobInfo } from "../../lib/kube/pod";
import { seededJobPods, SEED_PROJECTS } from "./generate";

const now = new Date("2026-12-06T12:00:00Z");

describe("seededJobPods", () => {
  const jobs = seededJobPods({ days: 28, now, seed: 42 });

  it("is the same for the same seed and different for another", () => {
    expect(seededJobPods({ days: 28, now, seed: 42 }).map((j) => j.pod.metadata!.uid)).toEqual(
      jobs.map((j) => j.pod.metadata!.uid),
    );
    expect(seededJobPods({ days: 28, now, seed: 7 }).map((j) => j.end.endedAt.getTime())).not.toEqual(
      jobs.map((j) => j.end.endedAt.getTime()),
    );
  });

  it("spans the days asked for, all finished before now", () => {
    const created = jobs.map((j) => Date.parse(String(j.pod.metadata!.creationTimestamp)));
    expect(Math.min(...created)).toBeGreaterThanOrEqual(Date.parse("2026-11-08T00:00:00Z"));
    expect(Math.min(...created)).toBeLessThan(Date.parse("2026-11-09T00:00:00Z"));
    expect(Math.max(...jobs.map((j) => j.end.endedAt.getTime()))).toBeLessThan(now.getTime());
  });

  it("has a plausible volume: around a hundred jobs a working day, far fewer at weekends", () => {
    const perDay = new Map<string, number>();
    for (const j of jobs) {
      const day = String(j.pod.metadata!.creationTimestamp).slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const weekday = perDay.get("2026-12-02")!; // a Wednesday
    const sunday = perDay.get("2026-11-29")!;
    expect(weekday).toBeGreaterThan(80);
    expect(weekday).toBeLessThan(200);
    expect(sunday).toBeLessThan(weekday / 2);
  });

  it("with the GitLab URL, the project path is the real one", () => {
    const [first] = seededJobPods({ days: 2, now, seed: 1, gitlabUrl: "http://127.0.0.1:8929/" });
    const info = podJobInfo(first.pod);
    expect(SEED_PROJECTS.map((p) => `${p.namespace}/${p.name}`)).toContain(info.projectPath);
    expect(info.jobUrl).toMatch(/^http:\/\/127\.0\.0\.1:8929\/[a-z/-]+\/-\/jobs\/9\d{5}$/);
  });

  it("each pod is a runner job pod of a demo GitLab project, priced like an observed one", () => {
    const book = defaultPriceBook("cn");
    const paths = new Set(SEED_PROJECTS.map((p) => `${p.namespace.replace(/\//g, "-")}/${p.name}`));
    for (const { pod, end } of jobs.slice(0, 50)) {
      const record = jobRecordData(pod, end, "c1", book);
      expect(paths).toContain(podJobInfo(pod).projectPath);
      expect(record.phase).toBe("Finished");
      expect(record.billedSeconds).toBeGreaterThanOrEqual(20);
      expect(record.costMicros).toBeGreaterThan(0);
      expect(record.backend).toBe("eci");
    }
  });
});
