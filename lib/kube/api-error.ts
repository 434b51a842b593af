interface StatusBody {
  message?: unknown;
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
  const message = apiStatusMessage(error) ?? plainTextBody(error);
  if (message) return message;
  if (error instanceof Error) {
    const code = errorStatus(error);
    const text = error.message
      .split("\nHeaders:")[0]
      .replace(/\nBody:.*$/s, "")
      .replace(/HTTP-Code: \d+\nMessage: /, "")
      .trim();
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

/** The `message` of the Kubernetes Status object in the error's body (JSON text or parsed), if there is one. */
export function apiStatusMessage(error: unknown): string | undefined {
  const body = errorBody(error);
  const status = typeof body === "string" ? parseJson(body) : body;
  const message = status && typeof status === "object" ? (status as StatusBody).message : undefined;
  return typeof message === "string" && message ? message : undefined;
}

/** A body that is text but not JSON (a proxy's or the API server's plain answer). */
function plainTextBody(error: unknown): string | undefined {
  const body = errorBody(error);
  return typeof body === "string" && body && parseJson(body) === undefined ? body : undefined;
}

function errorBody(error: unknown): unknown {
  return (error as { body?: unknown } | null)?.body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
