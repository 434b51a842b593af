import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientErrorResponse } from "./client-error";

describe("clientErrorResponse", () => {
  it("answers an oversized request line with 431 and a JSON message", () => {
    const answer = clientErrorResponse("HPE_HEADER_OVERFLOW");
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(answer.split("\r\n\r\n")[1]).toBe('{"error":"Request line and headers are too large"}');
  });

  it("answers any other parse error with 400 and a JSON message", () => {
    expect(clientErrorResponse("HPE_INVALID_METHOD")).toMatch(
      /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*Malformed HTTP request/,
    );
  });
});

describe("on a real server", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end("ok"));
    server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
      socket.end(clientErrorResponse(error.code));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("a 20,000-character URL gets 431 with a message, not an empty answer", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/x/${"x".repeat(20_000)}`);
    expect(response.status).toBe(431);
    expect(await response.json()).toEqual({ error: "Request line and headers are too large" });
  });
});
