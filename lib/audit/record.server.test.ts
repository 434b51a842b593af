import { afterEach, describe, expect, it, vi } from "vitest";

// A failed audit write is reported on the server log, never thrown (the change itself happened),
// and the report must not repeat the driver's message: it can quote the SQL and the entry's values.

const create = vi.fn();
vi.mock("@/lib/db.server", () => ({ db: { auditEvent: { create } } }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-forwarded-for": "10.0.0.9" }),
}));

const { audited, recordAudit } = await import("./record.server");

const SECRET_SQL = `INSERT INTO "AuditEvent" ("targetName", "message") VALUES ('prod-cluster', 'glpat-AbCdEf123456')`;
const failure = Object.assign(new Error(`Invalid \`db.auditEvent.create()\` invocation: ${SECRET_SQL}`), {
  name: "PrismaClientKnownRequestError",
  code: "P2003",
});

afterEach(() => {
  vi.restoreAllMocks();
  create.mockReset();
});

describe("recordAudit when the database refuses the entry", () => {
  it("logs the action and the database's error code, not its message, and does not throw", async () => {
    create.mockRejectedValue(failure);
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(
      recordAudit({
        actor: { id: "u1", username: "alice" },
        action: "connection.delete",
        target: { type: "connection", id: "c1", name: "prod-cluster" },
        result: "ok",
      }),
    ).resolves.toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0][0]);
    expect(line).toBe("ask-ci: could not write the audit entry connection.delete: database error (P2003)");
    expect(line).not.toContain("glpat");
    expect(line).not.toContain("INSERT");
  });

  it("writes the entry with the request's client address when the database accepts it", async () => {
    create.mockResolvedValue({});
    await recordAudit({ actor: { username: "alice" }, action: "connection.delete", result: "ok" });
    expect(create).toHaveBeenCalledWith({
      data: expect.objectContaining({ actorName: "alice", address: "10.0.0.9", action: "connection.delete" }),
    });
  });

  it("keeps the operation's own error for the caller when both the change and the audit write fail", async () => {
    create.mockRejectedValue(failure);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const boom = new Error("the cluster refused");
    await expect(
      audited({ actor: { username: "alice" }, action: "connection.delete" }, () => Promise.reject(boom)),
    ).rejects.toBe(boom);
  });
});
