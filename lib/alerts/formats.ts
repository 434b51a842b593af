import { createHmac } from "node:crypto";

/**
 * The webhook formats alerts are sent in, each as its receiver documents it (sources in
 * docs/alerts.md): a generic JSON document of our own, a DingTalk custom robot, a Feishu/Lark
 * custom bot and a Slack incoming webhook.
 */
export const CHANNEL_FORMATS = ["json", "dingtalk", "feishu", "slack"] as const;
export type ChannelFormat = (typeof CHANNEL_FORMATS)[number];

export function isChannelFormat(value: unknown): value is ChannelFormat {
  return typeof value === "string" && (CHANNEL_FORMATS as readonly string[]).includes(value);
}

/** What is sent: one alert, or the "send test" message. */
export interface AlertMessage {
  /** The condition's key ("test:<uuid>" for a test). */
  key: string;
  kind: string;
  title: string;
  message: string;
  connectionName?: string;
  /** When it fired. */
  at: Date;
  /** The dashboard's address, for a link back (ASK_CI_PUBLIC_URL), when known. */
  dashboardUrl?: string;
}

/** A request ready to send: where, and the JSON body. */
export interface WebhookRequest {
  url: string;
  body: unknown;
}

/** Plain text as the chat formats show it: title, message, link. */
export function alertText(alert: AlertMessage): string {
  return [`[ask-ci] ${alert.title}`, alert.message, alert.dashboardUrl ? `${alert.dashboardUrl}/cost/budgets` : null]
    .filter(Boolean)
    .join("\n");
}

/**
 * DingTalk custom robot "加签": sign = base64(HmacSHA256(key = secret, data = timestamp + "\n" + secret)),
 * timestamp in milliseconds; both go into the URL's query (the access token is already there).
 */
export function dingtalkSignedUrl(url: string, secret: string, nowMs: number): string {
  const sign = createHmac("sha256", secret).update(`${nowMs}\n${secret}`).digest("base64");
  const signed = new URL(url);
  signed.searchParams.set("timestamp", String(nowMs));
  signed.searchParams.set("sign", sign);
  return signed.toString();
}

/**
 * Feishu/Lark custom bot signature: base64(HmacSHA256(key = timestamp + "\n" + secret, data = "")),
 * timestamp in seconds; both go into the JSON body.
 */
export function feishuSignature(secret: string, nowSeconds: number): string {
  return createHmac("sha256", `${nowSeconds}\n${secret}`).update("").digest("base64");
}

/** The request for one alert in a channel's format. `secret` is the DingTalk/Feishu signing secret. */
export function webhookRequest(
  format: ChannelFormat,
  target: { url: string; secret?: string | null },
  alert: AlertMessage,
  nowMs: number,
): WebhookRequest {
  const text = alertText(alert);
  switch (format) {
    case "dingtalk":
      return {
        url: target.secret ? dingtalkSignedUrl(target.url, target.secret, nowMs) : target.url,
        body: { msgtype: "text", text: { content: text } },
      };
    case "feishu": {
      const body: Record<string, unknown> = { msg_type: "text", content: { text } };
      if (target.secret) {
        const timestamp = Math.floor(nowMs / 1000);
        body.timestamp = String(timestamp);
        body.sign = feishuSignature(target.secret, timestamp);
      }
      return { url: target.url, body };
    }
    case "slack":
      // Incoming webhooks take `text` (mrkdwn); no signing: the URL is the secret.
      return {
        url: target.url,
        body: { text: `*${escapeSlack(alert.title)}*\n${escapeSlack(text.split("\n").slice(1).join("\n"))}` },
      };
    case "json":
      return {
        url: target.url,
        body: {
          source: "ask-ci",
          version: 1,
          key: alert.key,
          kind: alert.kind,
          title: alert.title,
          message: alert.message,
          connection: alert.connectionName ?? null,
          at: alert.at.toISOString(),
          url: alert.dashboardUrl ?? null,
        },
      };
  }
}

/** Slack's mrkdwn treats &, < and > as control characters: escape them as its docs say. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Whether the receiver accepted the message. DingTalk and Feishu answer HTTP 200 for refusals too
 * (a wrong signature, a keyword missing) with an error code in the body: errcode / code must be 0.
 */
export function deliveryAccepted(
  format: ChannelFormat,
  status: number,
  responseText: string,
): { ok: boolean; error?: string } {
  if (status < 200 || status > 299) return { ok: false, error: `HTTP ${status}` };
  if (format !== "dingtalk" && format !== "feishu") return { ok: true };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(responseText) as Record<string, unknown>;
  } catch {
    return { ok: false, error: "the answer was not JSON" };
  }
  const code = format === "dingtalk" ? parsed.errcode : (parsed.code ?? parsed.StatusCode);
  if (code === 0) return { ok: true };
  const message = format === "dingtalk" ? parsed.errmsg : (parsed.msg ?? parsed.StatusMessage);
  return { ok: false, error: `code ${String(code)}: ${String(message ?? "").slice(0, 200)}` };
}
