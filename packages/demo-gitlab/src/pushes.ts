import type { CiEngine } from "./ci-engine";
import { iso } from "./instance";
import type { Project } from "./model";
import { SeededRandom } from "@ask-ci/seeded-random";
import { COMMIT_TITLES, FEATURE_BRANCHES } from "./seed";
import type { Store } from "./store";

/**
 * Simulated developers pushing: each project gets commits at Poisson-distributed times (seeded per
 * project), mostly to its default branch, sometimes to a feature branch, and each push starts that
 * branch's pipeline (source "push"), as GitLab does on a real push.
 */
export class PushSchedule {
  private timer: NodeJS.Timeout | undefined;
  private readonly nextAt = new Map<number, number>();

  constructor(
    private readonly store: Store,
    private readonly ci: CiEngine,
    private readonly seed: number,
    /** Pushes per hour over all projects; 0 turns the schedule off. */
    private readonly pushesPerHour: number,
    private readonly now: () => number,
  ) {}

  private random(project: Project): SeededRandom {
    const saved = this.store.data.scheduleState[String(project.id)];
    return saved === undefined ? new SeededRandom(this.seed).fork(`push:${project.id}`) : new SeededRandom(saved);
  }

  private meanGapMs(): number {
    const projects = Math.max(1, this.store.data.projects.length);
    return (projects * 3_600_000) / this.pushesPerHour;
  }

  start(): void {
    if (this.pushesPerHour <= 0) return;
    for (const project of this.store.data.projects) this.plan(project);
    this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private plan(project: Project): void {
    const random = this.random(project);
    this.nextAt.set(project.id, this.now() + random.exponential(this.meanGapMs()));
    this.store.data.scheduleState[String(project.id)] = random.seedState;
  }

  private arm(): void {
    const next = Math.min(...this.nextAt.values());
    if (!Number.isFinite(next)) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - this.now()));
    this.timer.unref();
  }

  private tick(): void {
    const now = this.now();
    for (const [projectId, at] of this.nextAt) {
      if (at > now) continue;
      const project = this.store.project(projectId);
      if (!project) {
        this.nextAt.delete(projectId);
        continue;
      }
      this.push(project);
      this.plan(project);
    }
    this.arm();
  }

  /** One push: a new commit on a branch, and its pipeline. */
  push(project: Project): void {
    const random = this.random(project);
    const ref = random.next() < 0.7 ? project.defaultBranch : random.pick(FEATURE_BRANCHES);
    if (!project.branches.includes(ref)) project.branches.push(ref);
    const parent = [...project.commits].reverse().find((c) => c.ref === ref) ?? project.commits.at(-1);
    const authors = this.store.data.memberships
      .filter((m) => m.accessLevel >= 30)
      .map((m) => this.store.user(m.userId)!)
      .filter((u, i, all) => all.indexOf(u) === i);
    const author = authors.length ? random.pick(authors) : this.store.data.users[0];
    const title = random.pick(COMMIT_TITLES);
    project.commits.push({
      sha: random.hex(40),
      parentSha: parent?.sha ?? null,
      title,
      message: title,
      authorName: author.name,
      authorEmail: author.email,
      authoredAt: iso(this.now()),
      ref,
    });
    // Keep a bounded history per project.
    if (project.commits.length > 500) project.commits.splice(0, project.commits.length - 500);
    this.store.data.scheduleState[String(project.id)] = random.seedState;
    this.store.changed();
    this.ci.createPipeline(project, { ref, source: "push", userId: author.id });
  }
}
