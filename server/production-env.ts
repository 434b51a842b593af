// Imported first by the entry points: Next.js and React read NODE_ENV when they load.
(process.env as Record<string, string>).NODE_ENV = "production";
