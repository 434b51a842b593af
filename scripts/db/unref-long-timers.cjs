// Preloaded (node --require) into Prisma CLI processes on PostgreSQL. Prisma 6.19's WebAssembly
// schema engine arms a 10 s timer around its migration advisory lock and never clears it, so every
// `migrate deploy`, `db pull` and `migrate diff` lingers 10 s after its work is done. An unref'd
// timer still fires while the process has other work (e.g. a lock wait on an open connection); it
// only stops the timer alone from keeping a finished process alive.
const setTimeoutOriginal = globalThis.setTimeout;
globalThis.setTimeout = function setTimeoutUnrefLong(callback, delay, ...args) {
  const timer = setTimeoutOriginal(callback, delay, ...args);
  if (typeof delay === "number" && delay >= 10_000 && typeof timer?.unref === "function") timer.unref();
  return timer;
};
