import { describe, expect, it } from "vitest";
import { decodeActionReply } from "./action-reply";

const text = (value: unknown) => ({
  kind: "text" as const,
  text: typeof value === "string" ? value : JSON.stringify(value),
});

function form(entries: Array<[string, string]>) {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return { kind: "form" as const, form: data };
}

describe("decodeActionReply accepts what ask-ci's pages send", () => {
  it.each<[string, Parameters<typeof decodeActionReply>[0], unknown[]]>([
    [
      "plain JSON arguments",
      text([{ name: "demo", n: 1, on: true, none: null }, "id-1"]),
      [{ name: "demo", n: 1, on: true, none: null }, "id-1"],
    ],
    ["an escaped dollar", text(["$$5 per hour"]), ["$5 per hour"]],
    [
      "undefined and non-finite numbers",
      text(["$undefined", "$NaN", "$Infinity", "$-Infinity"]),
      [undefined, NaN, Infinity, -Infinity],
    ],
    ["a date", text(["$D2026-01-01T00:00:00.000Z"]), [new Date("2026-01-01T00:00:00.000Z")]],
    ["no arguments", text([]), []],
  ])("%s", (_name, body, expected) => {
    expect(decodeActionReply(body)).toEqual({ ok: true, value: expected });
  });

  it("a form action's state and FormData", () => {
    const decoded = decodeActionReply(
      form([
        ["0", JSON.stringify([{ ok: true }, "$K1"])],
        ["_1_username", "admin"],
        ["_1_password", "pw"],
      ]),
    );
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const [state, fields] = decoded.value as [unknown, FormData];
    expect(state).toEqual({ ok: true });
    expect(Object.fromEntries(fields.entries())).toEqual({ username: "admin", password: "pw" });
  });
});

describe("decodeActionReply refuses", () => {
  it.each<[string, Parameters<typeof decodeActionReply>[0], RegExp]>([
    ["not JSON", text("{"), /not valid JSON/],
    ["arguments that are not a list", text({ a: 1 }), /not a list/],
    ["20,000 levels of nesting", text("[".repeat(20_000) + "]".repeat(20_000)), /deeper than/],
    ["100,000 elements", text([Array.from({ length: 100_000 }, () => 0)]), /more than 1000 elements/],
    ["a __proto__ key", text('[{"__proto__": {"admin": true}}]'), /__proto__/],
    ["a promise reference", text(["$@99"]), /unsupported reference "\$@99"/],
    ["a server reference", text(["$h1"]), /unsupported reference/],
    ["a temporary reference", text(["$T"]), /unsupported reference/],
    ["a BigInt", text(["$n1"]), /unsupported reference/],
    ["FormData without form data", text(["$K1"]), /without form data/],
    ["a back-reference", text(["$0:a"]), /unsupported reference/],
    ["a NUL", text(["a\u0000b"]), /NUL/],
    ["an unpaired surrogate", text(['"a\\ud800b"'].map((s) => JSON.parse(s))), /surrogate/],
    ["a form without field 0", form([["_1_a", "b"]]), /field 0/],
    ["a date that is not", text(["$Dyesterday"]), /date/],
  ])("%s", (_name, body, problem) => {
    const decoded = decodeActionReply(body);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problem).toMatch(problem);
  });

  it("a file in a form", () => {
    const data = new FormData();
    data.append("0", JSON.stringify(["$K1"]));
    data.append("_1_upload", new Blob(["x"]), "x.txt");
    const decoded = decodeActionReply({ kind: "form", form: data });
    expect(!decoded.ok && decoded.problem).toMatch(/file/);
  });
});
