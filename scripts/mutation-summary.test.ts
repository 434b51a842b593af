import { describe, expect, it } from "vitest";
import { scoresByModule, survivorLines } from "./mutation-summary";

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

describe("survivorLines", () => {
  it("shows each survivor's line as Stryker mutated it: one operand, not the whole condition", () => {
    const source = "const a = 1;\n  if (x !== y || stopped) return;\n";
    const lines = survivorLines({
      files: {
        "lib/monitor/w.ts": {
          source,
          mutants: [
            {
              status: "Survived",
              mutatorName: "ConditionalExpression",
              replacement: "false",
              location: { start: { line: 2, column: 7 }, end: { line: 2, column: 14 } },
            },
            {
              status: "Killed",
              replacement: "true",
              location: { start: { line: 2, column: 7 }, end: { line: 2, column: 25 } },
            },
            {
              status: "NoCoverage",
              mutatorName: "BlockStatement",
              replacement: "{}\nmore",
              location: { start: { line: 1, column: 11 }, end: { line: 2, column: 3 } },
            },
          ],
        },
      },
    });
    expect(lines).toEqual([
      "lib/monitor/w.ts:2:7 Survived ConditionalExpression",
      "  - if (x !== y || stopped) return;",
      "  + if (false || stopped) return;",
      "lib/monitor/w.ts:1:11 NoCoverage BlockStatement",
      "  - const a = 1;",
      "  + const a = {} …",
    ]);
  });
});
