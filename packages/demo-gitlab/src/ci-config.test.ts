import { describe, expect, it } from "vitest";
import { durationOf, parseCiConfig } from "./ci-config";
import { JAVA_DEMO_CI, PAYMENTS_API_CI } from "./seed/ci-configs";

function parsed(source: string) {
  const result = parseCiConfig(source);
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.config;
}

function error(source: string): string {
  const result = parseCiConfig(source);
  if (result.ok) throw new Error("expected a configuration error");
  return result.errors[0];
}

describe("parseCiConfig", () => {
  it("reads the seed article's java-demo pipeline: package → build → deploy", () => {
    const config = parsed(JAVA_DEMO_CI);
    expect(config.stages).toEqual(["package", "build", "deploy"]);
    expect(config.jobs.map((j) => [j.name, j.stage])).toEqual([
      ["mvn_package_job", "package"],
      ["build_and_publish_docker_image_job", "build"],
      ["deploy_k8s_job", "deploy"],
    ]);
    expect(config.jobs[1].image).toEqual({ name: "registry.cn-hangzhou.aliyuncs.com/eci/kaniko:1.0" });
    // The global cache applies to every job.
    expect(config.jobs.every((j) => j.cache[0]?.paths[0] === "/cache")).toBe(true);
  });

  it("reads defaults, services with aliases, needs, retry, allow_failure and rules", () => {
    const config = parsed(PAYMENTS_API_CI);
    const test = config.jobs.find((j) => j.name === "unit-test")!;
    expect(test.needs).toEqual(["compile"]);
    expect(test.services).toEqual([
      { name: "mysql:8.0", alias: "db", command: undefined, entrypoint: undefined, variables: undefined },
    ]);
    expect(test.retryMax).toBe(2);
    expect(test.retryWhen).toEqual(["runner_system_failure", "stuck_or_timeout_failure"]);
    expect(test.image?.name).toBe("maven:3.9-eclipse-temurin-21");
    expect(test.timeout).toBe(1800);
    expect(test.artifacts?.reportsJunit).toEqual(["target/surefire-reports/TEST-*.xml"]);
    expect(config.jobs.find((j) => j.name === "dependency-scan")!.allowFailure).toBe(true);
    const production = config.jobs.find((j) => j.name === "deploy-production")!;
    expect(production.rules).toEqual([
      { if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", when: "manual", allowFailure: undefined, variables: undefined },
    ]);
    expect(production.image?.name).toBe("bitnami/kubectl:1.32");
  });

  it("uses GitLab's default stages and lets manual jobs fail by default", () => {
    const config = parsed("a:\n  script: echo\nb:\n  stage: deploy\n  script: [echo]\n  when: manual\n");
    expect(config.stages).toEqual(["test", "deploy"]);
    expect(config.jobs[0].stage).toBe("test");
    expect(config.jobs[1].allowFailure).toBe(true);
    expect(config.jobs[0].allowFailure).toBe(false);
  });

  it("merges extends deeply and honours YAML anchors and merge keys", () => {
    const config = parsed(`
.base: &base
  image: node:20
  variables: { A: "1", B: "2" }
  tags: [eci]
job1:
  extends: .base
  variables: { B: "3" }
  script: [npm test]
job2:
  <<: *base
  script: [npm run build]
`);
    expect(config.jobs[0]).toMatchObject({ image: { name: "node:20" }, variables: { A: "1", B: "3" }, tags: ["eci"] });
    expect(config.jobs[1]).toMatchObject({ image: { name: "node:20" }, tags: ["eci"] });
  });

  it("expands parallel: N into N jobs with CI_NODE_INDEX", () => {
    const config = parsed("test:\n  parallel: 3\n  script: [run]\n");
    expect(config.jobs.map((j) => j.name)).toEqual(["test 1/3", "test 2/3", "test 3/3"]);
    expect(config.jobs[2].variables).toMatchObject({ CI_NODE_INDEX: "3", CI_NODE_TOTAL: "3" });
  });

  it.each([
    ["a: [1, 2", /\(<unknown>\)/],
    [
      "a:\n  stage: nope\n  script: x\n",
      /chosen stage nope does not exist; available stages are \.pre, build, test, deploy, \.post/,
    ],
    ["a:\n  image: x\n", /jobs:a config should implement the script:, run:, or trigger: keyword/],
    ["a:\n  script: x\n  needs: [b]\n", /a job: undefined need: b/],
    ["a:\n  script: x\n  retry: 3\n", /retry max must be 0, 1, or 2/],
    ["a:\n  script: x\n  scriptt: y\n", /config contains unknown keys: scriptt/],
    ["include: other.yml\na:\n  script: x\n", /include config is not supported/],
    ["a:\n  trigger: other/project\n", /trigger is not supported/],
    [".hidden:\n  script: x\n", /jobs config should contain at least one visible job/],
    ["a:\n  script: x\n  timeout: soon\n", /jobs:a:timeout config should be a duration/],
  ])("refuses %j", (source, message) => {
    expect(error(source)).toMatch(message);
  });
});

describe("durationOf", () => {
  it.each([
    ["1h 30m", 5400],
    ["90 minutes", 5400],
    ["3600", 3600],
    ["2 hours", 7200],
    ["1d", 86400],
  ])("%s → %d s", (text, seconds) => {
    expect(durationOf(text, "t")).toBe(seconds);
  });
});
