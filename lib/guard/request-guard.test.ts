import { describe, expect, it } from "vitest";
import { BODY_LIMITS } from "./limits";
import { guardRequest } from "./request-guard";

const ACTIONS: Record<string, string> = {
  "40aa": "deleteProfileAction",
  "60bb": "savePriceBookAction",
  "00cc": "unlisted",
};
const lookup = (id: string) => ACTIONS[id];

function action(id: string, body: BodyInit, contentType = "text/plain;charset=UTF-8") {
  return new Request("http://localhost:3000/setup", {
    method: "POST",
    headers: { "next-action": id, "content-type": contentType },
    body,
  });
}

function multipart(entries: Array<[string, string]>): { body: FormData } {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  return { body: form };
}

describe("guardRequest lets through", () => {
  it.each<[string, Request]>([
    ["a page", new Request("http://localhost/setup/new")],
    ["an action call as the page sends it", action("40aa", JSON.stringify(["profile-1"]))],
    [
      "a form action with its state and FormData",
      new Request("http://localhost/settings", {
        method: "POST",
        headers: { "next-action": "60bb" },
        ...multipart([
          ["0", JSON.stringify([{}, "$K1"])],
          ["_1_site", "cn"],
        ]),
      }),
    ],
    [
      // A browser's boundary has capitals; read in lower case it would match no part of the body.
      "a form action with a browser's mixed-case multipart boundary",
      action(
        "60bb",
        [
          "------WebKitFormBoundaryQ7xYzAbC",
          'Content-Disposition: form-data; name="0"',
          "",
          JSON.stringify([{}, "$K1"]),
          "------WebKitFormBoundaryQ7xYzAbC",
          'Content-Disposition: form-data; name="_1_site"',
          "",
          "cn",
          "------WebKitFormBoundaryQ7xYzAbC--",
          "",
        ].join("\r\n"),
        "multipart/form-data; boundary=----WebKitFormBoundaryQ7xYzAbC",
      ),
    ],
    ["an action this build does not have (Next.js answers 404)", action("ffff", "[]")],
    [
      "a JSON body to a route",
      new Request("http://localhost/api/setup/run", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"profileId":"x","mode":"apply"}',
      }),
    ],
  ])("%s", async (_name, request) => {
    expect(await guardRequest(request, lookup)).toBeNull();
  });
});

describe("GitLab's webhook deliveries", () => {
  // A Pipeline Hook of a 3,000-job pipeline: every latest job, about 40 values each.
  const job = (id: number) => ({
    id,
    stage: "test",
    name: `job ${id}`,
    status: "success",
    created_at: "2026-12-06 10:00:00 UTC",
    runner: {
      id: 7,
      description: "ask-ci",
      active: true,
      runner_type: "project_type",
      is_shared: false,
      tags: ["ask"],
    },
    user: { id: 1, name: "Alice", username: "alice", avatar_url: null, email: "[REDACTED]" },
    artifacts_file: { filename: null, size: null },
    environment: null,
  });
  const pipeline = JSON.stringify({
    object_kind: "pipeline",
    object_attributes: { id: 1, status: "success" },
    builds: Array.from({ length: 3_000 }, (_, i) => job(i)),
  });
  const deliver = (path: string) =>
    new Request(`http://localhost${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-gitlab-event": "Pipeline Hook" },
      body: pipeline,
    });

  it("takes a big pipeline's payload at the webhook", async () => {
    expect(pipeline.length).toBeGreaterThan(BODY_LIMITS.bytes);
    expect(await guardRequest(deliver("/api/gitlab/webhook/conn-1"), lookup)).toBeNull();
  });

  it("holds every other route to the ordinary limits", async () => {
    expect(await guardRequest(deliver("/api/setup/run"), lookup)).toMatchObject({ status: 413 });
  });

  it("still refuses deep nesting and prototype keys at the webhook", async () => {
    const deep = new Request("http://localhost/api/gitlab/webhook/conn-1", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "[".repeat(20_000) + "]".repeat(20_000),
    });
    expect(await guardRequest(deep, lookup)).toMatchObject({ status: 400 });
    const proto = new Request("http://localhost/api/gitlab/webhook/conn-1", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"__proto__":{"admin":true}}',
    });
    expect(await guardRequest(proto, lookup)).toMatchObject({ status: 400 });
  });
});

describe("guardRequest refuses with a 4xx and a message", () => {
  const huge = "x".repeat(BODY_LIMITS.bytes + 1);
  it.each<[string, Request, number, RegExp]>([
    ["a malformed percent-encoded path", new Request("http://localhost/setup/%E0%A4%A"), 400, /percent-encoding/],
    ["a NUL in the path", new Request("http://localhost/api/setup/profiles/%00/download"), 400, /NUL/],
    ["a NUL in the query", new Request("http://localhost/api/monitor/history?namespace=%00"), 400, /NUL/],
    ["a body over the limit", action("40aa", huge), 413, /larger than/],
    [
      "a body over the limit with a lying Content-Length",
      new Request("http://localhost/setup", {
        method: "POST",
        headers: { "next-action": "40aa", "content-length": "10" },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(huge));
            controller.close();
          },
        }),
        duplex: "half",
      } as RequestInit),
      413,
      /larger than/,
    ],
    ["missing arguments", action("40aa", "[]"), 400, /deleteProfileAction/],
    ["extra arguments", action("40aa", '["a","b"]'), 400, /deleteProfileAction/],
    ["a number where an id goes", action("40aa", "[5]"), 400, /argument 0/],
    ["null where FormData goes", action("60bb", "[{},null]"), 400, /savePriceBookAction/],
    ["a 10,000-character id", action("40aa", JSON.stringify(["x".repeat(10_000)])), 400, /argument 0/],
    ["a deep document", action("40aa", "[".repeat(20_000) + "]".repeat(20_000)), 400, /deeper/],
    ["an unknown reference", action("40aa", '["$@99"]'), 400, /unsupported reference/],
    ["FormData reference without a form", action("60bb", '[{},"$K1"]'), 400, /without form data/],
    [
      "broken multipart",
      action("60bb", "--x\r\nbroken", "multipart/form-data; boundary=y"),
      400,
      /Malformed multipart/,
    ],
    ["an action without a contract", action("00cc", "[]"), 400, /no argument contract/],
    ["a malformed Next-Action header", action("not hex!", "[]"), 400, /Next-Action/],
    ["invalid UTF-8", action("40aa", new Uint8Array([0x5b, 0x22, 0xff, 0x22, 0x5d])), 400, /UTF-8/],
    ["an unusual content type", action("40aa", "[]", "application/xml"), 415, /text\/plain/],
    [
      "a JSON route body nested too deep",
      new Request("http://localhost/api/setup/run", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "[".repeat(5000) + "]".repeat(5000),
      }),
      400,
      /deeper/,
    ],
    [
      "a form post with a NUL",
      new Request("http://localhost/login", { method: "POST", ...multipart([["username", "a\u0000"]]) }),
      400,
      /NUL/,
    ],
  ])("%s → %i", async (_name, request, status, message) => {
    const refusal = await guardRequest(request, lookup);
    expect(refusal?.status).toBe(status);
    expect(refusal?.error).toMatch(message);
  });
});

describe("guardRequest at its edges", () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    new Request("http://localhost/api/setup/run", { method: "POST", headers, body });
  const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}=${i}`).join("&");
  const FORM = { "content-type": "application/x-www-form-urlencoded" };

  it("reads a body of exactly the size limit, and refuses one whose Content-Length claims more before reading it", async () => {
    expect(
      await guardRequest(post("x".repeat(BODY_LIMITS.bytes), { "content-type": "text/plain" }), lookup),
    ).toBeNull();
    const claimed = post("[]", { "content-length": String(BODY_LIMITS.bytes + 1), "content-type": "application/json" });
    expect(await guardRequest(claimed, lookup)).toEqual({
      status: 413,
      error: "The request body is larger than 512 KiB",
    });
  });

  it("takes a form of as many fields as the limit, not one more, nor a field with NUL", async () => {
    expect(await guardRequest(post(fields(BODY_LIMITS.parts), FORM), lookup)).toBeNull();
    expect(await guardRequest(post(fields(BODY_LIMITS.parts + 1), FORM), lookup)).toEqual({
      status: 400,
      error: `The form contains more than ${BODY_LIMITS.parts} form fields`,
    });
    expect(await guardRequest(post("name=a%00b", FORM), lookup)).toEqual({
      status: 400,
      error: "The form contains a form field with a text containing NUL",
    });
  });

  it("checks a JSON body whatever the case and parameters of its content type", async () => {
    const refusal = await guardRequest(post('{"a":', { "content-type": "Application/JSON; charset=utf-8" }), lookup);
    expect(refusal).toEqual({ status: 400, error: "The JSON body is not valid JSON" });
  });

  it.each(["zz40aa", "40aazz", "40aa 40aa"])(
    "refuses the Next-Action header %j: an id is hex and nothing else",
    async (id) => {
      expect(await guardRequest(action(id, "[]"), lookup)).toEqual({
        status: 400,
        error: "Malformed Next-Action header",
      });
    },
  );

  it("takes an action call without a content type as text, as Next.js sends it", async () => {
    expect(await guardRequest(action("40aa", JSON.stringify(["profile-1"]), ""), lookup)).toBeNull();
  });
});
