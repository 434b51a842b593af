import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { postWebhook } from "./deliver.server";

interface Received {
  url: string;
  body: unknown;
}

/** A loopback receiver on an ephemeral port answering each request with the next scripted reply. */
async function receiver(replies: Array<{ status: number; body?: string; hangMs?: number }>) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ url: request.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      const reply = replies[Math.min(received.length - 1, replies.length - 1)];
      const send = () => response.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body ?? "");
      if (reply.hangMs) setTimeout(send, reply.hangMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?access_token=t`, received };
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const fast = { timeoutMs: 1_000, attempts: 3, backoffMs: 10 };

describe("postWebhook", () => {
  it("posts the JSON body once when the receiver accepts it", async () => {
    const hook = await receiver([{ status: 200 }]);
    const result = await postWebhook("json", { url: hook.url, body: { title: "hello" } }, fast);
    expect(result).toEqual({ ok: true, httpStatus: 200, attempts: 1, error: undefined });
    expect(hook.received).toEqual([{ url: "/hook?access_token=t", body: { title: "hello" } }]);
  });

  it("retries a 503 and succeeds on the next attempt", async () => {
    const hook = await receiver([{ status: 503 }, { status: 200 }]);
    const result = await postWebhook("slack", { url: hook.url, body: { text: "x" } }, fast);
    expect(result.ok).toBe(true);
    expect(result.attempts).toBe(2);
    expect(hook.received).toHaveLength(2);
  });

  it("does not retry a 400, and stops after the attempts allowed on 500s", async () => {
    const refused = await receiver([{ status: 400 }]);
    expect(await postWebhook("json", { url: refused.url, body: {} }, fast)).toMatchObject({
      ok: false,
      httpStatus: 400,
      attempts: 1,
      error: "HTTP 400",
    });
    const failing = await receiver([{ status: 500 }]);
    expect(await postWebhook("json", { url: failing.url, body: {} }, fast)).toMatchObject({ ok: false, attempts: 3 });
    expect(failing.received).toHaveLength(3);
  });

  it("treats DingTalk's HTTP 200 with an error code as a refusal, not retried", async () => {
    const hook = await receiver([{ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }]);
    const result = await postWebhook("dingtalk", { url: hook.url, body: {} }, fast);
    expect(result).toMatchObject({ ok: false, attempts: 1, error: "code 310000: sign not match" });
  });

  it("gives up on a receiver that does not answer in time, without quoting the URL", async () => {
    const hook = await receiver([{ status: 200, hangMs: 2_000 }]);
    const result = await postWebhook(
      "json",
      { url: hook.url, body: {} },
      { timeoutMs: 100, attempts: 2, backoffMs: 10 },
    );
    expect(result).toMatchObject({ ok: false, httpStatus: null, attempts: 2, error: "no answer within 100 ms" });
    expect(result.error).not.toContain("access_token");
  });

  it("reports a refused connection", async () => {
    const hook = await receiver([{ status: 200 }]);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const result = await postWebhook(
      "json",
      { url: hook.url, body: {} },
      { timeoutMs: 500, attempts: 1, backoffMs: 10 },
    );
    expect(result).toMatchObject({ ok: false, attempts: 1 });
    expect(result.error).toMatch(/^could not connect/);
  });
});
