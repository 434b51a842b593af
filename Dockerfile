# ask-ci container image: Next.js standalone output + the production server (server/main.ts), non-root,
# read-only root filesystem friendly (writes only to ASK_CI_DATA_DIR, /tmp and .next/cache).
# Build:  docker build -t ask-ci .      (docs/deploy.md)
# Base images cannot be pulled on the development machines; scripts/test/standalone-smoke.ts starts the
# same layout instead (after `ASK_CI_STANDALONE=1 npm run build`).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# better-sqlite3 compiles when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Every workspace's manifest before `npm ci` (it installs the lockfile's workspaces; tests/dockerfile.test.ts).
COPY packages/billing/package.json packages/billing/
COPY packages/demo-cluster/package.json packages/demo-cluster/
COPY packages/demo-gitlab/package.json packages/demo-gitlab/
COPY packages/seeded-random/package.json packages/seeded-random/
COPY prisma ./prisma
COPY scripts/db ./scripts/db
COPY lib/database-url.ts ./lib/
COPY lib/db ./lib/db
COPY prisma.config.ts tsconfig.json ./
ENV NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
RUN npm ci --no-audit --no-fund
COPY . .
RUN ASK_CI_STANDALONE=1 npm run build && node_modules/.bin/tsx scripts/docker/assemble.ts /out

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PORT=3000 \
    ASK_CI_DATA_DIR=/var/lib/ask-ci \
    HOME=/tmp \
    JITI_FS_CACHE=false
WORKDIR /app
# Owned by root and not writable by the app user: the code cannot be changed at run time.
COPY --from=build /out ./
RUN mkdir -p /var/lib/ask-ci /app/.next/cache \
 && chown 10001:10001 /var/lib/ask-ci /app/.next/cache
USER 10001:10001
EXPOSE 3000
VOLUME ["/var/lib/ask-ci"]
# Applies pending migrations, then serves; SIGTERM shuts down gracefully (docs/operations.md).
ENTRYPOINT ["node", "ask-ci-server.js"]
