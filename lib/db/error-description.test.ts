import { describe, expect, it } from "vitest";
import { describeDatabaseError } from "./error-description";

const SQL = `INSERT INTO "AuditEvent" ("targetName") VALUES ('glpat-secret-token')`;

function prismaError(code: string, message = SQL, meta?: unknown): Error {
  return Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code, meta });
}

describe("describeDatabaseError", () => {
  it("names Prisma's code and never the message", () => {
    const text = describeDatabaseError(prismaError("P2003"));
    expect(text).toBe("database error (P2003)");
  });

  it("names the driver adapter's kind when Prisma passes one on", () => {
    const error = prismaError("P2010", SQL, { driverAdapterError: { cause: { kind: "UniqueConstraintViolation" } } });
    expect(describeDatabaseError(error)).toBe("database error (P2010 UniqueConstraintViolation)");
  });

  it("says the database is unavailable when it is", () => {
    expect(describeDatabaseError(prismaError("P1001", "Can't reach database server at db.internal:5432"))).toBe(
      "database unavailable (P1001)",
    );
  });

  it("falls back to the error's class, and to 'unknown error' for a thrown non-error", () => {
    expect(describeDatabaseError(new TypeError(SQL))).toBe("database error (TypeError)");
    expect(describeDatabaseError(SQL)).toBe("database error (unknown error)");
    expect(describeDatabaseError(null)).toBe("database error (unknown error)");
  });

  it("does not pass on a code or class name that carries text of its own", () => {
    const error = Object.assign(new Error("x"), { name: "Error: glpat-secret-token", code: SQL });
    expect(describeDatabaseError(error)).toBe("database error (unknown error)");
  });
});
