import type { Adapter, AdapterPayload } from "oidc-provider";

/**
 * oidc-provider's storage in memory (sessions, codes, tokens, grants), with expiry. Sign-ins do not
 * survive a restart of the demo GitLab; the dashboard's own session does, as with a real GitLab.
 */
type Items = Map<string, { payload: AdapterPayload; expiresAt: number }>;

/** One store per provider instance (tests run several in one process). */
export function memoryAdapterFactory(): (name: string) => Adapter {
  const items: Items = new Map();
  return (name) => new MemoryAdapter(name, items);
}

class MemoryAdapter implements Adapter {
  constructor(
    private readonly name: string,
    private readonly items: Items,
  ) {}

  private key(id: string): string {
    return `${this.name}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    this.items.set(this.key(id), { payload, expiresAt: Date.now() + expiresIn * 1000 });
    this.sweep();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return live(this.items.get(this.key(id)));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    for (const [key, entry] of this.items) {
      if (key.startsWith(`${this.name}:`) && entry.payload.userCode === userCode) return live(entry);
    }
    return undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    for (const [key, entry] of this.items) {
      if (key.startsWith(`${this.name}:`) && entry.payload.uid === uid) return live(entry);
    }
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const entry = this.items.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.items.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, entry] of this.items) {
      if (entry.payload.grantId === grantId) this.items.delete(key);
    }
  }

  private sweep(): void {
    if (this.items.size < 10_000) return;
    const now = Date.now();
    for (const [key, entry] of this.items) if (entry.expiresAt < now) this.items.delete(key);
  }
}

function live(entry: { payload: AdapterPayload; expiresAt: number } | undefined): AdapterPayload | undefined {
  if (!entry || entry.expiresAt < Date.now()) return undefined;
  return entry.payload;
}
