import "server-only";
import { deliveryAccepted, type ChannelFormat, type WebhookRequest } from "./formats";

export interface DeliveryOptions {
  /** Per attempt: a receiver that hangs must not hold up the evaluation. */
  timeoutMs: number;
  attempts: number;
  /** Wait before the second attempt; doubled after each. */
  backoffMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { timeoutMs: 5_000, attempts: 3, backoffMs: 1_000 };

// The answer is only read for DingTalk's/Feishu's error code: a few KiB is plenty.
const MAX_RESPONSE_BYTES = 16 * 1024;

export interface DeliveryResult {
  ok: boolean;
  httpStatus: number | null;
  attempts: number;
  /** Why it failed, without the URL (it holds the token). */
  error?: string;
}

async function readBounded(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_RESPONSE_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString("utf8");
}

/** 5xx, 429 and network failures may pass; a 4xx or a refusal in the body will not. */
function retryable(status: number | null): boolean {
  return status === null || status === 429 || status >= 500;
}

/**
 * POSTs one webhook request: bounded in time per attempt, retried with backoff on failures that
 * may pass, never following redirects (a webhook that redirects is misconfigured, and the token in
 * its URL must not be carried elsewhere). Errors never quote the URL.
 */
export async function postWebhook(
  format: ChannelFormat,
  request: WebhookRequest,
  options: DeliveryOptions = DEFAULT_DELIVERY,
): Promise<DeliveryResult> {
  let last: DeliveryResult = { ok: false, httpStatus: null, attempts: 0, error: "not sent" };
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, options.backoffMs * 2 ** (attempt - 2)));
    try {
      const response = await fetch(request.url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", "user-agent": "ask-ci-alerts" },
        body: JSON.stringify(request.body),
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await readBounded(response);
      const verdict = deliveryAccepted(format, response.status, text);
      last = { ok: verdict.ok, httpStatus: response.status, attempts: attempt, error: verdict.error };
      if (verdict.ok || !retryable(response.status)) return last;
    } catch (error) {
      const name = (error as Error).name;
      const reason =
        name === "TimeoutError" || name === "AbortError"
          ? `no answer within ${options.timeoutMs} ms`
          : `could not connect (${(error as { cause?: { code?: string } }).cause?.code ?? name})`;
      last = { ok: false, httpStatus: null, attempts: attempt, error: reason };
    }
  }
  return last;
}
