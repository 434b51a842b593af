interface StatusBody {
  message?: string;
  reason?: string;
}

/** The HTTP status of a client-node ApiException (or any error carrying `code`), else undefined. */
export function errorStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

/** The call's result, or undefined when the object does not exist (404). Other errors propagate. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (errorStatus(error) === 404) return undefined;
    throw error;
  }
}

/**
 * The API server's own message (the Status object's `message`), which says what is wrong
 * ("… is forbidden: User … cannot patch resource …"). Falls back to the error text without the
 * response headers client-node appends, which can carry cluster details.
 */
export function apiErrorMessage(error: unknown): string {
  const body = (error as { body?: unknown } | null)?.body;
  const status = parseStatus(body);
  if (status?.message) return status.message;
  if (error instanceof Error) {
    const code = errorStatus(error);
    const text = error.message.split("\nHeaders:")[0].replace(/\nBody:.*$/s, "").replace(/HTTP-Code: \d+\nMessage: /, "").trim();
    return code ? `HTTP ${code}: ${text}` : text;
  }
  return String(error);
}

// client-node's discovery fails with these words when the cluster has no such resource type (no CRD).
const UNSERVED_KIND = /Unrecognized API version and kind|Failed to fetch resource metadata/;

/** Whether an apiErrorMessage says the cluster does not serve the object's kind at all. */
export function isUnservedKindMessage(message: string): boolean {
  return UNSERVED_KIND.test(message);
}

function parseStatus(body: unknown): StatusBody | undefined {
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return body ? { message: body } : undefined;
    }
  }
  return body && typeof body === "object" ? (body as StatusBody) : undefined;
}
