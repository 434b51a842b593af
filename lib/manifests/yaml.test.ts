import { beforeEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { fromBase64 } from "./base64";
import { generateManifests } from "./generate";
import { loadSettings } from "./test-helpers";
import type { KubeObject } from "./types";
import { REDACTED, redactSecret, toYaml } from "./yaml";

const settings = loadSettings("example-settings.yaml");
// Generated before each test, not on import, so a mutation run counts it as the tests' code.
let objects: KubeObject[];
beforeEach(() => {
  objects = generateManifests(settings);
});

describe("toYaml", () => {
  it("writes one document per object, parseable back to the same objects", () => {
    const docs = parseAllDocuments(toYaml(objects, { redactSecrets: false })).map((d) => d.toJS());
    expect(docs).toEqual(JSON.parse(JSON.stringify(objects)));
  });

  it("redacts every Secret value in preview and leaves other objects untouched", () => {
    const text = toYaml(objects, { redactSecrets: true });
    expect(text).not.toContain(settings.gitlab.runnerToken);
    expect(text).not.toContain(settings.registry!.password);
    const docs = parseAllDocuments(text).map((d) => d.toJS());
    const secrets = docs.filter((d) => d.kind === "Secret");
    expect(secrets).toHaveLength(2);
    for (const s of secrets) expect(Object.values(s.data)).toEqual(Object.keys(s.data).map(() => REDACTED));
    expect(docs.filter((d) => d.kind !== "Secret")).toEqual(
      JSON.parse(JSON.stringify(objects.filter((o) => o.kind !== "Secret"))),
    );
  });

  it("keeps a redacted Secret's keys", () => {
    const token = objects.find((o) => o.metadata.name === "gitlab-runner-token")!;
    expect(redactSecret(token).data).toEqual({ "runner-token": REDACTED });
    expect(redactSecret({ ...token, data: undefined, stringData: { a: "1" } })).toMatchObject({
      stringData: { a: REDACTED },
    });
  });

  it("writes sequences indented, long lines unfolded, and a repeated object in full (no YAML anchors)", () => {
    const labels = { team: "ci" };
    const message = "a long sentence with spaces ".repeat(5).trim();
    const object: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x", labels, annotations: labels },
      data: { message },
      items: ["a"],
    };
    expect(toYaml([object], { redactSecrets: false })).toBe(
      [
        "---",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: x",
        "  labels:",
        "    team: ci",
        "  annotations:",
        "    team: ci",
        "data:",
        `  message: ${message}`,
        "items:",
        "  - a",
        "",
      ].join("\n"),
    );
  });

  it("does not mutate the objects when redacting", () => {
    toYaml(objects, { redactSecrets: true });
    const token = objects.find((o) => o.metadata.name === "gitlab-runner-token")!;
    expect(fromBase64((token.data as Record<string, string>)["runner-token"])).toBe(settings.gitlab.runnerToken);
  });

  it("keeps config.toml a readable block, never folded", () => {
    expect(toYaml(objects, { redactSecrets: true })).toContain("  config.template.toml: |\n    [[runners]]\n");
  });

  it("writes the registry secret as a dockerconfigjson with auth = base64(user:password)", () => {
    const secret = objects.find((o) => o.type === "kubernetes.io/dockerconfigjson")!;
    const config = JSON.parse(fromBase64((secret.data as Record<string, string>)[".dockerconfigjson"]));
    const entry = config.auths[settings.registry!.server];
    expect(fromBase64(entry.auth)).toBe(`${settings.registry!.username}:${settings.registry!.password}`);
  });
});
