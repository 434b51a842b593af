import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deliveryAccepted, webhookRequest, type AlertMessage } from "./formats";

const alert: AlertMessage = {
  key: "budget:b1:2026-12-06",
  kind: "budget",
  title: "Budget crossed: demo, daily",
  message: "Spent ¥1.50 of ¥1.00 <&>",
  connectionName: "demo",
  at: new Date("2026-12-06T10:00:00Z"),
};
const now = Date.parse("2026-12-06T10:00:05Z");

describe("webhookRequest", () => {
  it("generic JSON carries the condition's fields", () => {
    const request = webhookRequest("json", { url: "https://hooks.example/x" }, alert, now);
    expect(request.url).toBe("https://hooks.example/x");
    expect(request.body).toEqual({
      source: "ask-ci",
      version: 1,
      key: "budget:b1:2026-12-06",
      kind: "budget",
      title: "Budget crossed: demo, daily",
      message: "Spent ¥1.50 of ¥1.00 <&>",
      connection: "demo",
      at: "2026-12-06T10:00:00.000Z",
      url: null,
    });
  });

  it("DingTalk: a text message; signed with timestamp (ms) and sign in the query, token kept", () => {
    const url = "https://oapi.dingtalk.com/robot/send?access_token=abc";
    const request = webhookRequest("dingtalk", { url, secret: "SECxyz" }, alert, now);
    expect(request.body).toEqual({
      msgtype: "text",
      text: { content: expect.stringContaining("[ask-ci] Budget crossed") },
    });
    const signed = new URL(request.url);
    expect(signed.searchParams.get("access_token")).toBe("abc");
    expect(signed.searchParams.get("timestamp")).toBe(String(now));
    // DingTalk's documented check: HmacSHA256 keyed by the secret over "timestamp\nsecret", base64.
    const expected = createHmac("sha256", "SECxyz").update(`${now}\nSECxyz`).digest("base64");
    expect(signed.searchParams.get("sign")).toBe(expected);
  });

  it("DingTalk without a secret leaves the URL alone", () => {
    const url = "https://oapi.dingtalk.com/robot/send?access_token=abc";
    expect(webhookRequest("dingtalk", { url }, alert, now).url).toBe(url);
  });

  it("Feishu: msg_type text; signed with timestamp (s) and sign in the body", () => {
    const request = webhookRequest(
      "feishu",
      { url: "https://open.feishu.cn/open-apis/bot/v2/hook/t", secret: "s3" },
      alert,
      now,
    );
    const body = request.body as Record<string, unknown>;
    expect(body.msg_type).toBe("text");
    expect((body.content as { text: string }).text).toContain("Spent ¥1.50");
    expect(body.timestamp).toBe(String(Math.floor(now / 1000)));
    // Feishu's documented check: HmacSHA256 keyed by "timestamp\nsecret" over an empty message, base64.
    expect(body.sign).toBe(createHmac("sha256", `${Math.floor(now / 1000)}\ns3`).digest("base64"));
  });

  it("Feishu without a secret sends no signature fields", () => {
    const body = webhookRequest("feishu", { url: "https://open.feishu.cn/x" }, alert, now).body as object;
    expect(Object.keys(body).sort()).toEqual(["content", "msg_type"]);
  });

  it("Slack: text with the title in bold and mrkdwn control characters escaped", () => {
    const body = webhookRequest("slack", { url: "https://hooks.slack.com/services/T/B/X" }, alert, now).body as {
      text: string;
    };
    expect(body.text).toBe("*Budget crossed: demo, daily*\nSpent ¥1.50 of ¥1.00 &lt;&amp;&gt;");
  });
});

describe("deliveryAccepted", () => {
  it.each([
    ["json", 200, "", true],
    ["json", 204, "", true],
    ["json", 500, "", false],
    ["slack", 200, "ok", true],
    ["slack", 404, "no_team", false],
    ["dingtalk", 200, '{"errcode":0,"errmsg":"ok"}', true],
    ["dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}', false],
    ["dingtalk", 200, "not json", false],
    ["feishu", 200, '{"code":0,"msg":"success"}', true],
    ["feishu", 200, '{"StatusCode":0,"StatusMessage":"success"}', true],
    [
      "feishu",
      200,
      '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}',
      false,
    ],
  ] as const)("%s %i %s -> %s", (format, status, text, ok) => {
    expect(deliveryAccepted(format, status, text).ok).toBe(ok);
  });

  it("names the receiver's error code", () => {
    expect(deliveryAccepted("dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}').error).toBe(
      "code 310000: sign not match",
    );
  });
});
