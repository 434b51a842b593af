import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { z } from "zod";
import { buildCostQuerySchema, parseCostQuery } from "@/lib/cost/validation";
import { createConnectionSchema, fieldErrorsOf, testConnectionSchema } from "@/lib/validations/connection";
import { loginSchema } from "@/lib/validations/login";
import { buildRunnerSchemas, runnerSchemasFor, type RunnerSchemas } from "@/lib/runner-settings/schema";
import { loadMessages } from "./catalog";
import en from "./messages/en/validation.json";
import zhCN from "./messages/zh-CN/validation.json";
import {
  englishValidation,
  validationErrorMap,
  validationFor,
  validationTranslator,
  type ValidationKey,
  type ValidationT,
} from "./validation";

const HAN = /\p{Script=Han}/u;

function leafKeys(node: unknown, prefix = ""): string[] {
  if (typeof node === "string") return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, child]) =>
    leafKeys(child, prefix ? `${prefix}.${key}` : key),
  );
}

type SchemaName = Exclude<keyof RunnerSchemas, "t" | "parseOptions">;

const volume = (over: Record<string, unknown> = {}) => ({
  name: "cache",
  mountPath: "/cache",
  size: "50Gi",
  backend: { kind: "storageClass", storageClassName: "nas" },
  ...over,
});
const minimalSettings = {
  cluster: { namespace: "ci" },
  gitlab: { url: "https://gitlab.example.com", runnerToken: "glrt-abcdefghij0123456789", runnerName: "r" },
};

// Between them these reach every message the runner schemas have (checked below), and zod's own checks.
const INVALID: Array<[SchemaName, unknown]> = [
  ["clusterSchema", { namespace: "", instanceName: "a".repeat(70) }],
  ["clusterSchema", { namespace: "kube-ci", instanceName: "a".repeat(50) }],
  ["clusterSchema", { namespace: "Bad_Name", instanceName: "-x" }],
  [
    "gitlabSchema",
    {
      url: "gitlab.example.com",
      runnerToken: "",
      runnerName: "",
      concurrent: 0.5,
      checkIntervalSeconds: -1,
      caCertificate: "not a cert",
    },
  ],
  [
    "gitlabSchema",
    {
      url: "ftp://gitlab.example.com",
      runnerToken: "GR1348941abcdefghijklmnop",
      runnerName: "x".repeat(300),
      concurrent: 501,
      checkIntervalSeconds: 1.5,
    },
  ],
  [
    "gitlabSchema",
    {
      url: "https://user:pw@gitlab.example.com/?a=1",
      runnerToken: "glpat-xyz",
      runnerName: "r",
      concurrent: 0,
      logLevel: "loud",
    },
  ],
  [
    "gitlabSchema",
    {
      url: "https://gitlab.example.com",
      runnerToken: "glrt-abc",
      runnerName: "r",
      concurrent: Number.NaN,
      checkIntervalSeconds: 4000,
    },
  ],
  ["runnerPodSchema", { version: "v17.11.0", cpu: "lots", memory: "100" }],
  ["runnerPodSchema", { flavour: "alpine", cpu: "0", memory: "0" }],
  ["imagesSchema", { registry: "mirror" }],
  ["imagesSchema", { registry: "mirror", mirror: "https://acr.example.com/ns:1" }],
  [
    "jobPodsSchema",
    {
      build: { cpuRequest: "2", cpuLimit: "1", memoryRequest: "2Gi", memoryLimit: "1Gi" },
      helper: { cpuRequest: "x", cpuLimit: "0", memoryRequest: "12", memoryLimit: "0Mi" },
      services: { cpuRequest: "1", cpuLimit: "1", memoryRequest: "1Gi", memoryLimit: "y" },
      eciUseSpecs: ["2x"],
      spot: { strategy: "SpotWithPriceLimit", priceLimit: 0.12345 },
      pollTimeoutSeconds: 10,
      podLabels: { "bad key!": "-bad" },
      podAnnotations: { "x y": "1" },
    },
  ],
  ["jobPodsSchema", { spot: { strategy: "SpotWithPriceLimit" }, pollTimeoutSeconds: 5000 }],
  ["jobPodsSchema", { spot: { strategy: "SpotWithPriceLimit", priceLimit: -1 } }],
  [
    "storageSchema",
    {
      volumes: [
        volume({
          name: "A",
          mountPath: "relative",
          size: "1Mi",
          backend: { kind: "nas", server: "-x", path: "relative" },
        }),
        volume({
          name: "x".repeat(30),
          mountPath: "/a/../b",
          size: "big",
          backend: { kind: "storageClass", storageClassName: "" },
        }),
      ],
    },
  ],
  ["storageSchema", { volumes: [volume(), volume()] }],
  [
    "registrySchema",
    { server: "https://registry.example.com", username: "", password: "", secretName: "", mountPath: "docker" },
  ],
  ["imageCacheSchema", { images: [], sizeGiB: 10.5 }],
  ["imageCacheSchema", { images: ["alpine:3.20"], sizeGiB: 10 }],
  ["imageCacheSchema", { images: ["alpine:3.20"], sizeGiB: 40000 }],
  [
    "runnerSettingsSchema",
    {
      ...minimalSettings,
      registry: { server: "r.example.com", username: "u", password: "p" },
      storage: { volumes: [volume({ mountPath: "/root/.docker" })] },
    },
  ],
  [
    "runnerSettingsSchema",
    { ...minimalSettings, distributedCache: ossCache({ endpoint: "custom", customEndpoint: "not a host" }) },
  ],
  [
    "runnerSettingsSchema",
    {
      ...minimalSettings,
      registry: { server: "r.example.com", username: "u", password: "p", secretName: "shared-secret" },
      distributedCache: ossCache({ secretName: "shared-secret" }),
    },
  ],
];

/** A valid distributed cache on OSS, changed by `patch`. */
function ossCache(patch: Record<string, unknown>) {
  return {
    region: "cn-hangzhou",
    bucket: "acme-cache",
    accessKeyId: "LTAI5tExampleKeyId0001",
    accessKeySecret: "secret",
    ...patch,
  };
}

function messagesFor(schemas: RunnerSchemas, name: SchemaName, input: unknown): string[] {
  const result = (schemas[name] as z.ZodType).safeParse(input, schemas.parseOptions);
  expect(result.success, `${name} should refuse ${JSON.stringify(input)}`).toBe(false);
  return result.error!.issues.map((issue) => issue.message);
}

describe("validation messages in the user's language", () => {
  let consoleError: MockInstance;
  beforeEach(() => {
    // next-intl reports a missing key or a bad placeholder through console.error.
    consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => {
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
  });

  it.each(INVALID.map(([name, input], index) => [index, name, input] as const))(
    "#%i %s: Chinese under zh-CN, English under en",
    (_index, name, input) => {
      const zh = messagesFor(runnerSchemasFor("zh-CN"), name, input);
      const english = messagesFor(runnerSchemasFor("en"), name, input);
      expect(zh.length).toBe(english.length);
      for (const [i, message] of zh.entries()) {
        expect(message, english[i]).toMatch(HAN);
        expect(message).not.toMatch(/[{}]|validation\./);
        expect(english[i]).not.toMatch(HAN);
        expect(english[i]).not.toMatch(/[{}]|validation\./);
      }
    },
  );

  it("keeps the English of the exported schemas (CLI, logs) for checks with their own message", () => {
    const { runnerSettingsSchema } = runnerSchemasFor("en");
    const bad = { ...minimalSettings, gitlab: { ...minimalSettings.gitlab, runnerName: "" } };
    expect(runnerSettingsSchema.safeParse(bad).error?.issues.map((i) => i.message)).toEqual([
      "Runner name is required",
    ]);
  });

  it("fills in parameters: field names, limits and the offending value", () => {
    const zh = runnerSchemasFor("zh-CN");
    const build = { cpuRequest: "2", cpuLimit: "1", memoryRequest: "1Gi", memoryLimit: "1Gi" };
    expect(messagesFor(zh, "jobPodsSchema", { build })).toEqual(["Build 容器 CPU 请求不能超过其上限（1）"]);
    expect(messagesFor(runnerSchemasFor("en"), "jobPodsSchema", { build })).toEqual([
      "Build CPU request must not exceed its limit (1)",
    ]);
    expect(messagesFor(zh, "clusterSchema", { namespace: "ci", instanceName: "a".repeat(64) })).toEqual([
      "实例名称最多 63 个字符",
      "实例名称最多 40 个字符（对象名称还会加上后缀）",
    ]);
    expect(messagesFor(zh, "storageSchema", { volumes: [volume(), volume()] })).toEqual([
      "卷名称“cache”重复使用",
      "挂载路径 /cache 重复使用",
    ]);
  });

  it("every catalog message is reachable from the schemas, and nothing they ask for is missing", () => {
    const used = new Set<string>();
    const recording: ValidationT = (key, values) => {
      used.add(key);
      return englishValidation(key, values);
    };
    const schemas = {
      ...buildRunnerSchemas(recording),
      t: recording,
      parseOptions: { error: validationErrorMap(recording) },
    };
    for (const [name, input] of INVALID) messagesFor(schemas, name, input);
    const ofSchemas = (key: string) => /^(runner|fields|containers)\./.test(key);
    expect([...used].filter(ofSchemas).sort()).toEqual(leafKeys(en.validation).filter(ofSchemas).sort());
    expect(leafKeys(zhCN.validation).sort()).toEqual(leafKeys(en.validation).sort());
  });
});

// Every cost message: each field's wrong-number, negative, bound and unit variants, and the special fields.
const INVALID_COST_QUERIES = [
  "vcpu=abc&mem=0&minutes=-1&jobs=10000000&ecs=0&days=32&site=eu&region=europe&acsclass=gpu&runner=big&economy=maybe&spot=0&spotlimit=-1&nas=x&imagecache=-5",
  "vcpu=25&mem=1000&minutes=0&jobs=-1&ecs=1e9&days=0&runner=48-96Gi&spot=100&spotlimit=2000&nas=99999999&imagecache=99999999",
  "mem=x&minutes=x&days=x&spot=x&spotlimit=x&jobs=x&ecs=x&imagecache=x",
  "economy=1&site=intl",
];

describe("cost query messages", () => {
  it.each(INVALID_COST_QUERIES)("%s: Chinese under zh-CN, English under en (and by default)", (query) => {
    const zh = parseCostQuery(new URLSearchParams(query), "zh-CN");
    const english = parseCostQuery(new URLSearchParams(query), "en");
    if (zh.success || english.success) throw new Error("expected errors");
    expect(Object.keys(zh.errors).sort()).toEqual(Object.keys(english.errors).sort());
    for (const message of Object.values(zh.errors)) expect(message).toMatch(HAN);
    for (const message of Object.values(english.errors)) expect(message).not.toMatch(HAN);
    expect(parseCostQuery(new URLSearchParams(query))).toEqual(english);
  });

  it("fills in the field, the bound and its unit", () => {
    const zh = parseCostQuery(new URLSearchParams("mem=0&minutes=2000&spot=100&runner=48-96Gi"), "zh-CN");
    expect(!zh.success && zh.errors).toEqual({
      mem: "内存必须大于 0 GiB",
      minutes: "作业时长不能超过 1440 分钟",
      spot: "抢占式折扣不能超过 99%",
      runner: "Runner Pod 的规格不能超过 24 vCPU / 192 GiB",
    });
  });

  it("every cost message in the catalog is reachable", () => {
    const used = new Set<string>();
    const recording: ValidationT = (key, values) => {
      used.add(key);
      return englishValidation(key, values);
    };
    const schema = buildCostQuerySchema(recording);
    for (const query of INVALID_COST_QUERIES)
      expect(schema.safeParse(Object.fromEntries(new URLSearchParams(query))).success).toBe(false);
    // "at least" is for an inclusive minimum above 0; every such field today starts at 0, where "cannot be negative" speaks first.
    used.add("cost.atLeast");
    const ofCost = (key: string) => key.startsWith("cost.");
    expect([...used].filter(ofCost).sort()).toEqual(leafKeys(en.validation).filter(ofCost).sort());
  });
});

describe("validationErrorMap: zod's own checks", () => {
  const cases: Array<[string, z.ZodType, unknown, ValidationKey, Record<string, string | number>?]> = [
    ["missing", z.object({ a: z.string() }), {}, "generic.required"],
    ["NaN from an empty number input", z.number(), Number.NaN, "generic.expectedNumber"],
    ["text expected", z.string(), 3, "generic.expectedText"],
    ["other type", z.boolean(), "yes", "generic.expectedType", { expected: "boolean" }],
    ["integer", z.number().int(), 1.5, "generic.integer"],
    ["number at least", z.number().min(3), 1, "generic.numberAtLeast", { minimum: 3 }],
    ["number above", z.number().positive(), 0, "generic.numberAbove", { minimum: 0 }],
    ["number at most", z.number().max(3), 4, "generic.numberAtMost", { maximum: 3 }],
    ["number below", z.number().lt(3), 3, "generic.numberBelow", { maximum: 3 }],
    ["text at least", z.string().min(2), "a", "generic.textAtLeast", { minimum: 2 }],
    ["text at most", z.string().max(2), "abc", "generic.textAtMost", { maximum: 2 }],
    ["list at least", z.array(z.string()).min(1), [], "generic.listAtLeast", { minimum: 1 }],
    ["list at most", z.array(z.string()).max(1), ["a", "b"], "generic.listAtMost", { maximum: 1 }],
    ["enum", z.enum(["a", "b"]), "c", "generic.oneOf", { values: "a, b" }],
    ["unknown keys", z.strictObject({}), { x: 1, y: 2 }, "generic.unknownKeys", { keys: "x, y" }],
    ["anything else", z.email(), "nope", "generic.invalid"],
  ];

  it.each(cases)("%s", (_name, schema, input, key, values) => {
    const messages = (["en", "zh-CN"] as const).map(
      (locale) => schema.safeParse(input, validationFor(locale).parseOptions).error?.issues[0]?.message,
    );
    expect(messages).toEqual([validationTranslator("en")(key, values), validationTranslator("zh-CN")(key, values)]);
    expect(messages[0]).not.toMatch(HAN);
    expect(messages[1]).toMatch(HAN);
  });

  it("leaves a check's own message alone", () => {
    expect(
      z.string().min(1, "own words").safeParse("", validationFor("zh-CN").parseOptions).error?.issues[0]?.message,
    ).toBe("own words");
  });

  it("names the limit", () => {
    expect(z.number().max(3600).safeParse(4000, validationFor("zh-CN").parseOptions).error?.issues[0]?.message).toBe(
      "不能大于 3600",
    );
    expect(validationTranslator("en")("generic.oneOf", { values: "a, b" })).toBe("Choose one of: a, b");
  });
});

// The connection and login schemas already speak in catalog keys (clusters.validation.*, login.*), translated by their forms.
describe("catalog-key schemas: every key they emit exists in both languages", () => {
  const big = "x".repeat(300 * 1024);
  const connectionInputs: unknown[] = [
    { name: "", credentials: { method: "kubeconfig", kubeconfig: "" } },
    { name: "n".repeat(64), credentials: { method: "kubeconfig", kubeconfig: big } },
    { name: "-bad-", credentials: { method: "token", server: "", token: "" } },
    {
      name: "ok",
      credentials: {
        method: "token",
        server: "h".repeat(3000),
        token: "t".repeat(17 * 1024),
        caCertificate: "c".repeat(65 * 1024),
      },
    },
    { name: "ok", credentials: { method: "certificate", server: "https://k8s", clientCertificate: "", clientKey: "" } },
    {
      name: "ok",
      credentials: { method: "certificate", server: "https://k8s", clientCertificate: big, clientKey: big },
    },
    { name: "ok", credentials: { method: "magic" } },
  ];
  const testInputs: unknown[] = [
    { credentials: { method: "token", server: "https://k8s", token: "t" }, namespace: "Bad NS" },
  ];

  it("connection form", () => {
    const emitted = new Set<string>();
    for (const [schema, inputs] of [
      [createConnectionSchema, connectionInputs],
      [testConnectionSchema, testInputs],
    ] as const) {
      for (const input of inputs) {
        const result = schema.safeParse(input);
        expect(result.success).toBe(false);
        for (const key of Object.values(fieldErrorsOf(result.error!))) emitted.add(key);
      }
    }
    for (const locale of ["en", "zh-CN"] as const) {
      const keys = Object.keys((loadMessages(locale).clusters as { validation: Record<string, string> }).validation);
      // Everything but the network failure, which the form raises itself.
      expect([...emitted].sort(), locale).toEqual(keys.filter((key) => key !== "requestFailed").sort());
    }
  });

  it("login form", () => {
    const emitted = new Set<string>();
    for (const input of [
      { username: "", password: "" },
      { username: "u".repeat(65), password: "p".repeat(257) },
    ]) {
      for (const issue of loginSchema.safeParse(input).error!.issues) emitted.add(issue.message);
    }
    expect(emitted.size).toBe(4);
    for (const locale of ["en", "zh-CN"] as const) {
      const login = loadMessages(locale).login as Record<string, string>;
      for (const key of emitted) expect(login[key], `${locale} login.${key}`).toEqual(expect.any(String));
    }
  });
});
