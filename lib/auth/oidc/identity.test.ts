import { describe, expect, it } from "vitest";
import { identityFrom } from "./identity";

const NO_GROUPS = { member: [], developer: [], maintainer: [], owner: [] };

describe("identityFrom", () => {
  it("takes the subject from the ID token and the rest from its claims, trimmed", () => {
    expect(
      identityFrom(
        { sub: 1001, preferred_username: "  alice ", name: "  Alice Example ", email: " alice@example.test " },
        { sub: "9999", name: "Someone Else" },
      ),
    ).toEqual({
      subject: "1001",
      username: "alice",
      displayName: "Alice Example",
      email: "alice@example.test",
      groups: NO_GROUPS,
    });
  });

  it("fills what the ID token leaves out from userinfo", () => {
    expect(identityFrom({ sub: "7" }, { preferred_username: "bob", name: "Bob", email: "bob@example.test" })).toEqual({
      subject: "7",
      username: "bob",
      displayName: "Bob",
      email: "bob@example.test",
      groups: NO_GROUPS,
    });
  });

  it("leaves blank, missing or non-text names and addresses out, and cuts them at 255 characters", () => {
    expect(identityFrom({ sub: "7", preferred_username: "u", name: "   ", email: 42 })).toMatchObject({
      displayName: null,
      email: null,
    });
    expect(identityFrom({ sub: "7", preferred_username: "u", name: `${"n".repeat(300)}  ` }).displayName).toBe(
      "n".repeat(255),
    );
  });

  it("keeps only the characters of a GitLab username", () => {
    expect(identityFrom({ sub: "7", preferred_username: "<b>ali ce</b>.x_y-z" }).username).toBe("baliceb.x_y-z");
  });

  it("falls back from preferred_username to nickname (ID token, then userinfo), then to gitlab-<subject>", () => {
    expect(identityFrom({ sub: "7", preferred_username: "<>", nickname: "nick" }).username).toBe("nick");
    expect(identityFrom({ sub: "7", preferred_username: "  " }, { nickname: "info-nick" }).username).toBe("info-nick");
    expect(identityFrom({ sub: "7", nickname: "token-nick" }, { nickname: "info-nick" }).username).toBe("token-nick");
    expect(identityFrom({ sub: "7", preferred_username: "!!!", nickname: 5 }).username).toBe("gitlab-7");
    expect(identityFrom({ sub: "7" }).username).toBe("gitlab-7");
  });

  it("reads groups from userinfo first, direct groups from the ID token first, and per-role group claims", () => {
    const identity = identityFrom(
      { sub: "7", preferred_username: "u", groups: ["from-token"], groups_direct: ["token-direct"] },
      {
        groups: ["platform", "platform/ci"],
        groups_direct: ["info-direct"],
        "https://gitlab.org/claims/groups/maintainer": ["platform/ci"],
      },
    );
    expect(identity.groups).toEqual({
      member: ["platform", "platform/ci", "token-direct"],
      developer: ["platform/ci"],
      maintainer: ["platform/ci"],
      owner: [],
    });
    // Without them in userinfo, the ID token's groups and userinfo's direct groups count.
    expect(
      identityFrom({ sub: "7", groups: ["from-token"] }, { groups_direct: ["info-direct"] }).groups.member,
    ).toEqual(["from-token", "info-direct"]);
  });
});
