/** Probe answers: a fixed body, no detail about why (that goes to the log), never cached. */
const headers = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };

export function probeResponse(ok: boolean): Response {
  return new Response(ok ? "ok\n" : "not ready\n", { status: ok ? 200 : 503, headers });
}
