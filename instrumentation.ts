/** Runs once when the server starts (see lib/startup.server.ts). */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { onServerStart } = await import("./lib/startup.server");
    await onServerStart();
  }
}
