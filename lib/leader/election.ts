import pg from "pg";
import { databaseProvider } from "../database-url";
import { poolSettings } from "../db/adapter";

/**
 * Leader election for the single job-record writer (docs/decisions/012-recorder-leader-election.md).
 * PostgreSQL: a session-level advisory lock held on a connection of its own; when the leader's
 * process dies its connection closes and PostgreSQL releases the lock at once, and a standby that
 * retries every few seconds takes over. SQLite: one replica by construction, so always the leader.
 */
export interface LeaderCallbacks {
  /** Became the leader: start writing. */
  onElected(): void;
  /** Stopped being the leader (lost the lock, or stop()): stop writing and finish in-flight writes. */
  onDemoted(): Promise<void> | void;
  onError?(message: string): void;
}

export interface LeaderElection {
  start(): void;
  isLeader(): boolean;
  /** Stops campaigning; a leader finishes its writes (onDemoted), then releases the lock. */
  stop(): Promise<void>;
}

export interface AdvisoryLockOptions {
  /** The two-int advisory lock key: an application tag and the role. */
  key: readonly [number, number];
  /** How often a standby tries for the lock and the leader checks it still holds its connection. */
  intervalMs?: number;
  /** A heartbeat slower than this demotes the leader (its connection may be gone). */
  heartbeatTimeoutMs?: number;
}

// "ASKC", role 1: the job recorder.
export const JOB_RECORDER_LOCK: readonly [number, number] = [0x41534b43, 1];

export function createLeaderElection(
  databaseUrl: string,
  callbacks: LeaderCallbacks,
  options: Partial<AdvisoryLockOptions> = {},
): LeaderElection {
  if (databaseProvider(databaseUrl) === "postgresql") {
    return new AdvisoryLockElection(databaseUrl, callbacks, { key: JOB_RECORDER_LOCK, ...options });
  }
  return new LocalElection(callbacks);
}

export class LocalElection implements LeaderElection {
  private leader = false;
  constructor(private readonly callbacks: LeaderCallbacks) {}
  start(): void {
    if (this.leader) return;
    this.leader = true;
    this.callbacks.onElected();
  }
  isLeader(): boolean {
    return this.leader;
  }
  async stop(): Promise<void> {
    if (!this.leader) return;
    this.leader = false;
    await this.callbacks.onDemoted();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export class AdvisoryLockElection implements LeaderElection {
  private client: pg.Client | null = null;
  private broken = false;
  private leader = false;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private tick: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;
  private readonly heartbeatTimeoutMs: number;

  constructor(
    private readonly databaseUrl: string,
    private readonly callbacks: LeaderCallbacks,
    private readonly options: AdvisoryLockOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 5_000;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 5_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  isLeader(): boolean {
    return this.leader;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.tick;
    if (this.leader) {
      await this.demote();
      // Released explicitly so a standby need not wait for this connection to close.
      await this.client?.query("SELECT pg_advisory_unlock($1, $2)", [...this.options.key]).catch(() => {});
    }
    await this.disconnect();
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.tick = this.step().finally(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref?.();
  }

  private async step(): Promise<void> {
    try {
      if (this.leader) await this.heartbeat();
      else await this.campaign();
    } catch (error) {
      this.callbacks.onError?.(`leader election: ${(error as Error).message}`);
      if (this.leader) await this.demote();
      await this.disconnect();
    }
  }

  private async connect(): Promise<pg.Client> {
    if (this.client && !this.broken) return this.client;
    await this.disconnect();
    const settings = poolSettings(this.databaseUrl, process.env);
    const client = new pg.Client({
      connectionString: settings.connectionString,
      connectionTimeoutMillis: settings.connectionTimeoutMs,
      keepAlive: true,
      application_name: "ask-ci leader election",
    });
    this.broken = false;
    client.on("error", () => {
      this.broken = true;
    });
    client.on("end", () => {
      this.broken = true;
    });
    await client.connect();
    // The server notices a vanished leader (node lost, network cut) within ~25 s and drops its lock.
    await client.query("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3");
    this.client = client;
    return client;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await withTimeout(client.end(), 2_000).catch(() => {});
  }

  private async campaign(): Promise<void> {
    const client = await this.connect();
    const result = await withTimeout(
      client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS locked", [...this.options.key]),
      this.heartbeatTimeoutMs,
    );
    if (result.rows[0]?.locked && this.running) {
      this.leader = true;
      this.callbacks.onElected();
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.broken || !this.client) throw new Error("lost the connection holding the lock");
    await withTimeout(this.client.query("SELECT 1"), this.heartbeatTimeoutMs);
  }

  private async demote(): Promise<void> {
    if (!this.leader) return;
    this.leader = false;
    await this.callbacks.onDemoted();
  }
}
