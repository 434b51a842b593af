import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { loadMessages } from "@/lib/i18n/catalog";

describe("audit actions", () => {
  it.each(["en", "zh-CN"] as const)("each has a label in the %s catalog", (locale) => {
    const actions = (loadMessages(locale).teams as { actions: Record<string, Record<string, string>> }).actions;
    for (const action of Object.keys(AUDIT_ACTIONS)) {
      const [group, verb] = action.split(".");
      expect(actions[group]?.[verb], action).toEqual(expect.any(String));
    }
  });
});
