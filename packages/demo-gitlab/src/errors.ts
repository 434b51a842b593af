/**
 * GitLab's error answers, as its Grape API writes them (lib/api/helpers.rb: render_api_error!,
 * not_found!, forbidden!, bad_request!, unauthorized!; Grape's own `{"error": …}` for missing or
 * invalid parameters and unknown routes).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "object" && body && "message" in body ? String((body as { message: unknown }).message) : "");
  }
}

export const unauthorized = () => new ApiError(401, { message: "401 Unauthorized" });

/** `forbidden!(reason)`: "403 Forbidden" or "403 Forbidden - reason". */
export const forbidden = (reason?: string) =>
  new ApiError(403, { message: reason ? `403 Forbidden - ${reason}` : "403 Forbidden" });

/** `not_found!(resource)`: "404 Project Not Found"; without a resource "404 Not found" (RecordNotFound). */
export const notFound = (resource?: string) =>
  new ApiError(404, { message: resource ? `404 ${resource} Not Found` : "404 Not found" });

export const badRequest = (reason?: string) =>
  new ApiError(400, { message: reason ? `400 Bad request - ${reason}` : "400 Bad request" });

/** Grape's parameter validation: `{"error": "ref is missing"}`. */
export const invalidParams = (error: string) => new ApiError(400, { error });

/** `render_validation_error!`: `{"message": {"field": ["…"]}}`, status 400. */
export const validationError = (messages: Record<string, string[]>) => new ApiError(400, { message: messages });

export const methodNotAllowed = (reason?: string) =>
  new ApiError(405, { message: reason ? `405 Method Not Allowed - ${reason}` : "405 Method Not Allowed" });

/** Token scopes too narrow for the route (Gitlab::Auth::InsufficientScopeError → OAuth-style body). */
export const insufficientScope = (scopes: string[]) =>
  new ApiError(403, {
    error: "insufficient_scope",
    error_description: "The request requires higher privileges than provided by the access token.",
    scope: scopes.join(" "),
  });

/** Expired or revoked tokens (Gitlab::Auth::ExpiredError / RevokedError). */
export const invalidToken = (description: string) =>
  new ApiError(401, { error: "invalid_token", error_description: description });
