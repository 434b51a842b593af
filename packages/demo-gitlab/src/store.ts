import fs from "node:fs";
import path from "node:path";
import type { Group, Hook, Job, Membership, PersonalAccessToken, Pipeline, Project, Runner, User } from "./model";

/** Everything the demo GitLab knows; saved as one JSON file in the state dir, traces beside it. */
export interface StateData {
  version: 1;
  nextIds: Record<string, number>;
  users: User[];
  tokens: PersonalAccessToken[];
  groups: Group[];
  memberships: Membership[];
  projects: Project[];
  pipelines: Pipeline[];
  jobs: Job[];
  runners: Runner[];
  hooks: Hook[];
  /** Where each project's scheduled pushes are, so a restart continues the same sequence. */
  scheduleState: Record<string, number>;
}

export function emptyState(): StateData {
  return {
    version: 1,
    nextIds: {},
    users: [],
    tokens: [],
    groups: [],
    memberships: [],
    projects: [],
    pipelines: [],
    jobs: [],
    runners: [],
    hooks: [],
    scheduleState: {},
  };
}

/**
 * In-memory records with indexes by id, persisted after changes (debounced, atomic rename).
 * Job traces live in `<state>/traces/<job id>.log` as GitLab keeps live traces in chunks apart
 * from the database.
 */
export class Store {
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly traces = new Map<number, Buffer>();
  private readonly dirtyTraces = new Set<number>();

  constructor(
    readonly data: StateData,
    private readonly stateDir: string | null,
    // The whole state is one JSON file: batch a busy second of changes into one write.
    private readonly persistDelayMs = 2000,
  ) {}

  static load(stateDir: string | null, persistDelayMs?: number): Store {
    if (stateDir) {
      const file = path.join(stateDir, "state.json");
      if (fs.existsSync(file)) {
        const data = JSON.parse(fs.readFileSync(file, "utf8")) as StateData;
        return new Store({ ...emptyState(), ...data }, stateDir, persistDelayMs);
      }
    }
    return new Store(emptyState(), stateDir, persistDelayMs);
  }

  get isNew(): boolean {
    return this.data.users.length === 0;
  }

  nextId(kind: string, start = 1): number {
    const id = this.data.nextIds[kind] ?? start;
    this.data.nextIds[kind] = id + 1;
    return id;
  }

  user = (id: number) => this.data.users.find((u) => u.id === id);
  group = (id: number) => this.data.groups.find((g) => g.id === id);
  project = (id: number) => this.data.projects.find((p) => p.id === id);
  pipeline = (id: number) => this.data.pipelines.find((p) => p.id === id);
  job = (id: number) => this.data.jobs.find((j) => j.id === id);
  runner = (id: number) => this.data.runners.find((r) => r.id === id);

  projectByPath(fullPath: string): Project | undefined {
    return this.data.projects.find((p) => this.projectFullPath(p).toLowerCase() === fullPath.toLowerCase());
  }

  groupByPath(fullPath: string): Group | undefined {
    return this.data.groups.find((g) => g.fullPath.toLowerCase() === fullPath.toLowerCase());
  }

  projectFullPath(project: Project): string {
    return `${this.group(project.namespaceId)?.fullPath ?? "unknown"}/${project.path}`;
  }

  /** The group and its ancestors, nearest first. */
  groupAncestry(groupId: number): Group[] {
    const out: Group[] = [];
    for (let g = this.group(groupId); g; g = g.parentId ? this.group(g.parentId) : undefined) out.push(g);
    return out;
  }

  pipelineJobs(pipelineId: number, includeRetried = false): Job[] {
    return this.data.jobs.filter((j) => j.pipelineId === pipelineId && (includeRetried || !j.retried));
  }

  trace(jobId: number): Buffer {
    const cached = this.traces.get(jobId);
    if (cached) return cached;
    const file = this.stateDir ? path.join(this.stateDir, "traces", `${jobId}.log`) : null;
    const loaded = file && fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
    this.traces.set(jobId, loaded);
    return loaded;
  }

  setTrace(jobId: number, content: Buffer): void {
    this.traces.set(jobId, content);
    this.dirtyTraces.add(jobId);
    this.changed();
  }

  changed(): void {
    if (!this.stateDir || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveNow();
    }, this.persistDelayMs);
    this.saveTimer.unref();
  }

  saveNow(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    if (!this.stateDir) return;
    fs.mkdirSync(path.join(this.stateDir, "traces"), { recursive: true });
    for (const jobId of this.dirtyTraces) {
      writeAtomic(path.join(this.stateDir, "traces", `${jobId}.log`), this.traces.get(jobId) ?? Buffer.alloc(0));
      const job = this.job(jobId);
      if (job && isFinished(job.status)) this.traces.delete(jobId);
    }
    this.dirtyTraces.clear();
    writeAtomic(path.join(this.stateDir, "state.json"), JSON.stringify(this.data));
  }

  /** Removes pipelines beyond the newest `keep` (with their jobs and traces) so a long demo stays small. */
  prunePipelines(keep: number): void {
    if (this.data.pipelines.length <= keep) return;
    const sorted = [...this.data.pipelines].sort((a, b) => b.id - a.id);
    const drop = new Set(sorted.slice(keep).map((p) => p.id));
    const droppedJobs = this.data.jobs.filter((j) => drop.has(j.pipelineId));
    this.data.pipelines = this.data.pipelines.filter((p) => !drop.has(p.id));
    this.data.jobs = this.data.jobs.filter((j) => !drop.has(j.pipelineId));
    for (const job of droppedJobs) {
      this.traces.delete(job.id);
      this.dirtyTraces.delete(job.id);
      if (this.stateDir) fs.rmSync(path.join(this.stateDir, "traces", `${job.id}.log`), { force: true });
    }
    this.changed();
  }
}

function isFinished(status: string): boolean {
  return ["success", "failed", "canceled", "skipped"].includes(status);
}

function writeAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.renameSync(tmp, file);
}
