import { decodeActionReply, type ReplyBody } from "./action-reply";
import { ACTION_CONTRACTS, describeIssues, isActionName } from "./action-contracts";
import { parseLimitedJson, textProblem } from "./json-limits";
import { BODY_LIMITS, bodyLimitsFor, type BodyLimits } from "./limits";

export interface Refusal {
  status: 400 | 413 | 415;
  error: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function refuse(status: Refusal["status"], error: string): Refusal {
  return { status, error };
}

/** The body, or a refusal when it is larger than the limit (counted as it streams: Content-Length can lie). */
async function readLimited(request: Request, limits: BodyLimits): Promise<Uint8Array | Refusal> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limits.bytes) return tooLarge(limits);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limits.bytes) {
      await reader.cancel();
      return tooLarge(limits);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(limits: BodyLimits): Refusal {
  return refuse(413, `The request body is larger than ${limits.bytes / 1024} KiB`);
}

function utf8(body: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return null;
  }
}

async function formDataOf(body: Uint8Array, contentType: string): Promise<FormData | null> {
  try {
    return await new Request("http://guard.invalid/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: body as BodyInit,
    }).formData();
  } catch {
    return null;
  }
}

function formProblem(form: FormData): string | null {
  let parts = 0;
  for (const [name, value] of form.entries()) {
    if (++parts > BODY_LIMITS.parts) return `more than ${BODY_LIMITS.parts} form fields`;
    const problem = textProblem(name) ?? (typeof value === "string" ? textProblem(value) : null);
    if (problem) return `a form field with ${problem}`;
  }
  return null;
}

/** A server action call (the Next-Action header): its body decoded and its arguments checked against the action's contract. */
async function guardAction(
  actionId: string,
  body: Uint8Array,
  rawContentType: string,
  actionName: (id: string) => string | undefined,
): Promise<Refusal | null> {
  const contentType = rawContentType.toLowerCase();
  if (!/^[0-9a-f]{2,128}$/i.test(actionId)) return refuse(400, "Malformed Next-Action header");
  const name = actionName(actionId);
  // Not an action of this build: Next.js answers 404 itself, without decoding the body.
  if (name === undefined) return null;
  if (!isActionName(name))
    return refuse(400, `The action ${name} has no argument contract (lib/guard/action-contracts.ts)`);
  let reply: ReplyBody;
  if (contentType.startsWith("multipart/form-data")) {
    const form = await formDataOf(body, rawContentType);
    if (!form) return refuse(400, "Malformed multipart body");
    reply = { kind: "form", form };
  } else if (contentType === "" || contentType.startsWith("text/plain")) {
    const text = utf8(body);
    if (text === null) return refuse(400, "The request body is not valid UTF-8");
    reply = { kind: "text", text };
  } else return refuse(415, `A server action takes text/plain or multipart/form-data, not ${contentType.slice(0, 60)}`);
  const decoded = decodeActionReply(reply);
  if (!decoded.ok) return refuse(400, `Invalid call of ${name}: ${decoded.problem}`);
  const parsed = ACTION_CONTRACTS[name].args.safeParse(decoded.value);
  if (!parsed.success) return refuse(400, `Invalid call of ${name}: ${describeIssues(parsed.error)}`);
  return null;
}

/**
 * The one guard in front of every server action and route, run by proxy.ts before Next.js parses
 * anything. Refuses with a 4xx and a message:
 * - a path with malformed percent-encoding (400) — Next.js would answer 500; an address with a NUL (400);
 * - a state-changing body over the size limit (413, counted while streaming);
 * - a server action call whose body is not what ask-ci's pages send (lib/guard/action-reply.ts)
 *   or whose arguments do not have the action's shape (lib/guard/action-contracts.ts) (400);
 * - a form post with broken multipart or unusable text, a JSON body to a route that is not JSON
 *   within the limits (400).
 * Returns null to let the request through.
 */
export async function guardRequest(
  request: Request,
  actionName: (id: string) => string | undefined,
): Promise<Refusal | null> {
  const url = new URL(request.url);
  const rawPath = url.pathname;
  try {
    decodeURIComponent(rawPath);
  } catch {
    return refuse(400, "The address contains malformed percent-encoding");
  }
  // No id, name or filter of ask-ci holds a NUL, and PostgreSQL refuses one in text (a 500).
  if ((rawPath + url.search).includes("%00")) return refuse(400, "The address contains a NUL character (%00)");
  if (SAFE_METHODS.has(request.method)) return null;

  const limits = bodyLimitsFor(rawPath);
  const body = await readLimited(request, limits);
  if (!(body instanceof Uint8Array)) return body;
  // Compared in lower case, but parsed as sent: a multipart boundary is case-sensitive
  // (browsers send "----WebKitFormBoundaryAbC…"), and a lowered one matches no part of the body.
  const rawContentType = request.headers.get("content-type") ?? "";
  const contentType = rawContentType.toLowerCase();
  const actionId = request.headers.get("next-action");
  if (actionId !== null) return guardAction(actionId, body, rawContentType, actionName);
  if (body.byteLength === 0) return null;

  if (contentType.startsWith("multipart/form-data") || contentType.startsWith("application/x-www-form-urlencoded")) {
    const form = await formDataOf(body, rawContentType);
    if (!form) return refuse(400, "Malformed form body");
    const problem = formProblem(form);
    return problem ? refuse(400, `The form contains ${problem}`) : null;
  }
  if (contentType.startsWith("application/json")) {
    const text = utf8(body);
    if (text === null) return refuse(400, "The request body is not valid UTF-8");
    const parsed = parseLimitedJson(text, limits);
    return parsed.ok ? null : refuse(400, `The JSON body is ${parsed.problem}`);
  }
  return null;
}
