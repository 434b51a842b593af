import { describe, expect, it } from "vitest";
import { keepOrReplace, mergeSecrets, secretFlags, splitSecrets, type SettingsDraft } from "./secrets";

const draft: SettingsDraft = {
  cluster: { namespace: "ci" },
  gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-abcdefghijklmnop1234", runnerName: "r" },
  registry: { server: "registry.example.com", username: "u", password: "p4ss" },
  distributedCache: {
    region: "cn-hangzhou",
    bucket: "ci-cache",
    accessKeyId: "LTAI5tExampleKeyId",
    accessKeySecret: "oss-s3cret",
  },
};

describe("splitSecrets", () => {
  it("removes the token, registry password and OSS AccessKey secret and returns them separately", () => {
    const { settings, secrets } = splitSecrets(draft);
    expect(JSON.stringify(settings)).not.toContain("glrt-abcdefghijklmnop1234");
    expect(JSON.stringify(settings)).not.toContain("p4ss");
    expect(JSON.stringify(settings)).not.toContain("oss-s3cret");
    expect(secrets).toEqual({
      runnerToken: "glrt-abcdefghijklmnop1234",
      registryPassword: "p4ss",
      ossAccessKeySecret: "oss-s3cret",
    });
    expect(settings.registry).toEqual({ server: "registry.example.com", username: "u" });
    expect(settings.distributedCache).toEqual({
      region: "cn-hangzhou",
      bucket: "ci-cache",
      accessKeyId: "LTAI5tExampleKeyId",
    });
  });

  it("treats empty secrets as not given and leaves the input alone", () => {
    const input: SettingsDraft = { gitlab: { runnerToken: "  " }, registry: { password: "" } };
    expect(splitSecrets(input).secrets).toEqual({});
    expect(input.gitlab?.runnerToken).toBe("  ");
  });
});

describe("mergeSecrets", () => {
  it("round-trips with splitSecrets", () => {
    const { settings, secrets } = splitSecrets(draft);
    expect(mergeSecrets(settings, secrets)).toEqual(draft);
  });

  it("does not invent a registry section for a stored password", () => {
    expect(mergeSecrets({ gitlab: {} }, { registryPassword: "p" }).registry).toBeUndefined();
  });

  it("does not invent a distributed cache for a stored AccessKey secret", () => {
    expect(mergeSecrets({ gitlab: {} }, { ossAccessKeySecret: "s" }).distributedCache).toBeUndefined();
  });
});

describe("keepOrReplace", () => {
  it.each([
    ["keeps stored values for empty fields", { runnerToken: "old" }, {}, { runnerToken: "old" }],
    ["replaces with new values", { runnerToken: "old" }, { runnerToken: "new" }, { runnerToken: "new" }],
    [
      "adds a new secret",
      { runnerToken: "old" },
      { registryPassword: "pw" },
      { runnerToken: "old", registryPassword: "pw" },
    ],
  ])("%s", (_name, stored, given, expected) => {
    expect(keepOrReplace(stored, given)).toEqual(expected);
  });
});

describe("secretFlags", () => {
  it("says which secrets exist without their values", () => {
    expect(secretFlags({ runnerToken: "x", ossAccessKeySecret: "y" })).toEqual({
      runnerToken: true,
      registryPassword: false,
      ossAccessKeySecret: true,
    });
  });
});
