import { describe, expect, it } from "vitest";
import { scoresByModule } from "./mutation-summary";

describe("scoresByModule", () => {
  it("counts killed and timed-out mutants over valid ones, per core module", () => {
    const scores = scoresByModule({
      files: {
        "lib/auth/session.server.ts": {
          mutants: [{ status: "Killed" }, { status: "Survived" }, { status: "Timeout" }, { status: "NoCoverage" }],
        },
        "lib/auth/roles.ts": { mutants: [{ status: "Killed" }, { status: "CompileError" }, { status: "Ignored" }] },
        "lib/cost/money.ts": { mutants: [{ status: "Survived" }] },
        "lib/authx/other.ts": { mutants: [{ status: "Killed" }] },
      },
    });
    expect(scores.find((s) => s.module === "lib/auth")).toEqual({ module: "lib/auth", detected: 3, valid: 5 });
    expect(scores.find((s) => s.module === "lib/cost")).toEqual({ module: "lib/cost", detected: 0, valid: 1 });
    expect(scores.find((s) => s.module === "lib/monitor")).toEqual({ module: "lib/monitor", detected: 0, valid: 0 });
  });

  it("takes a module that is one file by its exact path only", () => {
    const scores = scoresByModule({
      files: {
        "lib/csv.ts": { mutants: [{ status: "Killed" }, { status: "Survived" }] },
        "lib/csv.tsx": { mutants: [{ status: "Killed" }] },
      },
    });
    expect(scores.find((s) => s.module === "lib/csv.ts")).toEqual({ module: "lib/csv.ts", detected: 1, valid: 2 });
  });
});
