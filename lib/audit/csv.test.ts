import { describe, expect, it } from "vitest";
import { AUDIT_CSV_HEADER, auditCsv } from "./csv";
import type { AuditEventDto } from "./log.server";

const event = (overrides: Partial<AuditEventDto>): AuditEventDto => ({
  id: "e1",
  at: "2026-12-06T08:00:00.000Z",
  actorName: "alice",
  address: "10.0.0.1",
  action: "pod.delete",
  targetType: "pod",
  targetId: "demo/gitlab-runner/runner-abc",
  targetName: "gitlab-runner/runner-abc",
  result: "ok",
  message: null,
  ...overrides,
});

describe("auditCsv", () => {
  it("writes the header, then one line per entry", () => {
    expect(auditCsv([event({})], true)).toBe(
      `${AUDIT_CSV_HEADER.join(",")}\r\n2026-12-06T08:00:00.000Z,alice,10.0.0.1,pod.delete,pod,demo/gitlab-runner/runner-abc,gitlab-runner/runner-abc,ok,\r\n`,
    );
  });

  it.each(['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])(
    "keeps %s as text in a spreadsheet",
    (hostile) => {
      const line = auditCsv([event({ actorName: hostile, targetName: hostile, message: hostile })], false);
      for (const cell of line.trimEnd().split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
        expect(cell.replace(/^"/, "")).not.toMatch(/^[=+\-@\t]/);
      }
    },
  );

  it("quotes separators, quotes and line breaks", () => {
    expect(auditCsv([event({ message: 'a "b", c\nd' })], false)).toContain('"a ""b"", c\nd"');
  });
});
