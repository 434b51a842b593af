import { STATUS_CODES } from "node:http";

/**
 * What to answer a request Node's HTTP parser refused before any handler saw it (a request line
 * and headers over --max-http-header-size, a malformed request): Node's own answer has no body,
 * and a refused request must say why (4xx with a message, as every other refusal does).
 */
export function clientErrorResponse(code: string | undefined): string {
  const status = code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
  const error = status === 431 ? "Request line and headers are too large" : "Malformed HTTP request";
  const body = JSON.stringify({ error });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}
