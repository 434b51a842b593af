import { describe, expect, it } from "vitest";
import { gitLabGroupsFrom, roleFromGroups, roleMappingSchema, type RoleMappingRule } from "./group-roles";

const claims = {
  groups: ["platform", "platform/ci", "Web"],
  groups_direct: ["platform"],
  "https://gitlab.org/claims/groups/maintainer": ["platform/ci"],
  "https://gitlab.org/claims/groups/owner": ["sandbox"],
};

describe("gitLabGroupsFrom", () => {
  it("reads membership and per-role claims; a higher GitLab role implies the lower ones", () => {
    expect(gitLabGroupsFrom(claims)).toEqual({
      member: ["platform", "platform/ci", "sandbox", "web"],
      developer: ["platform/ci", "sandbox"],
      maintainer: ["platform/ci", "sandbox"],
      owner: ["sandbox"],
    });
  });
  it("a developer claim alone makes the group a developer's (and a member's), nothing higher", () => {
    expect(gitLabGroupsFrom({ "https://gitlab.org/claims/groups/developer": ["Platform/CI"] })).toEqual({
      member: ["platform/ci"],
      developer: ["platform/ci"],
      maintainer: [],
      owner: [],
    });
  });
  it("keeps a group path of GitLab's 255-character limit and drops a longer one", () => {
    const longest = "g".repeat(255);
    expect(gitLabGroupsFrom({ groups: [longest, `${longest}x`] }).member).toEqual([longest]);
  });
  it("ignores claims of the wrong shape", () => {
    expect(gitLabGroupsFrom({ groups: "platform", groups_direct: [1, null, ""] })).toEqual({
      member: [],
      developer: [],
      maintainer: [],
      owner: [],
    });
  });
});

describe("roleFromGroups", () => {
  const rules: RoleMappingRule[] = [
    { groupPath: "platform", minAccess: "member", role: "viewer" },
    { groupPath: "platform/ci", minAccess: "maintainer", role: "operator" },
    { groupPath: "sre", minAccess: "developer", role: "admin" },
  ];
  const groups = gitLabGroupsFrom(claims);

  it("gives the highest role of the matching rules", () => {
    expect(roleFromGroups(rules, groups)).toBe("operator");
  });
  it("needs the GitLab role a rule names, not just membership", () => {
    const developerOnly = gitLabGroupsFrom({ "https://gitlab.org/claims/groups/developer": ["platform/ci"] });
    expect(roleFromGroups(rules, developerOnly)).toBeNull();
  });
  it("matches group paths case-insensitively and never a parent or sibling group", () => {
    expect(roleFromGroups([{ groupPath: "WEB", minAccess: "member", role: "admin" }], groups)).toBe("admin");
    expect(roleFromGroups([{ groupPath: "platform/c", minAccess: "member", role: "admin" }], groups)).toBeNull();
  });
  it("is null without rules or groups", () => {
    expect(roleFromGroups([], groups)).toBeNull();
    expect(roleFromGroups(rules, gitLabGroupsFrom({}))).toBeNull();
  });
});

describe("roleMappingSchema", () => {
  it("accepts a nested group path and lower-cases it", () => {
    expect(roleMappingSchema.parse({ groupPath: " Platform/CI ", minAccess: "maintainer", role: "operator" })).toEqual({
      groupPath: "platform/ci",
      minAccess: "maintainer",
      role: "operator",
    });
  });
  it.each([
    ["", "empty"],
    ["a//b", "double slash"],
    ["/a", "leading slash"],
    ["a b", "space"],
    ["x".repeat(256), "long"],
  ])("refuses %s (%s)", (groupPath) => {
    expect(roleMappingSchema.safeParse({ groupPath, minAccess: "member", role: "viewer" }).success).toBe(false);
  });
  it("refuses an unknown role or access level", () => {
    expect(roleMappingSchema.safeParse({ groupPath: "a", minAccess: "guest", role: "viewer" }).success).toBe(false);
    expect(roleMappingSchema.safeParse({ groupPath: "a", minAccess: "member", role: "root" }).success).toBe(false);
  });
});
