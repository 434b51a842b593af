import { describe, expect, it } from "vitest";
import { effectiveRole, hasRole, higherRole, isRole, toRole, type Role } from "./roles";

describe("hasRole", () => {
  it.each<[Role, Role, boolean]>([
    ["viewer", "viewer", true],
    ["viewer", "operator", false],
    ["viewer", "admin", false],
    ["operator", "viewer", true],
    ["operator", "operator", true],
    ["operator", "admin", false],
    ["admin", "viewer", true],
    ["admin", "operator", true],
    ["admin", "admin", true],
  ])("%s may act as %s: %s", (role, required, expected) => {
    expect(hasRole(role, required)).toBe(expected);
  });
});

describe("role values from storage", () => {
  it("accepts only the three role names", () => {
    expect(isRole("operator")).toBe(true);
    expect(isRole("Admin")).toBe(false);
    expect(isRole("root")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
  it("reads an unknown value as the least privileged role", () => {
    expect(toRole("superuser")).toBe("viewer");
    expect(toRole(null)).toBe("viewer");
    expect(toRole("admin")).toBe("admin");
  });
  it("higherRole picks the more privileged of two", () => {
    expect(higherRole("viewer", "operator")).toBe("operator");
    expect(higherRole("admin", "operator")).toBe("admin");
    expect(higherRole("operator", null)).toBe("operator");
  });
});

describe("effectiveRole", () => {
  it("keeps the local break-glass account an admin whatever is stored", () => {
    expect(effectiveRole({ provider: "local", role: "viewer" })).toBe("admin");
  });
  it("gives a GitLab user the higher of the assigned and the group role", () => {
    expect(effectiveRole({ provider: "gitlab", role: "viewer", groupRole: "operator" })).toBe("operator");
    expect(effectiveRole({ provider: "gitlab", role: "admin", groupRole: "operator" })).toBe("admin");
    expect(effectiveRole({ provider: "gitlab", role: "operator", groupRole: null })).toBe("operator");
  });
  it("does not let a tampered role value raise a GitLab user", () => {
    expect(effectiveRole({ provider: "gitlab", role: "root", groupRole: "god" })).toBe("viewer");
  });
});
