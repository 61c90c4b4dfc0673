# syntax=docker/dockerfile:1
#
# logomill service image: the HTTP API (default command) and, with another
# command, a queue worker (see docker-compose.yml).
#   docker build -t logomill .
#   docker run -p 127.0.0.1:8080:8080 -v logomill-data:/data logomill
#   docker run --env REDIS_URL=redis://redis:6379 -v logomill-data:/data logomill node dist/cli/main.js worker

# ---- build: dependencies (with native addons), TypeScript → dist/, then production-only node_modules
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles its addon with node-gyp when no prebuilt binary fits; sharp ships prebuilt ones.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

COPY package.json package-lock.json ./
# `npm ci` runs the root `prepare` script (a full build), but src/ is not copied yet so that this
# layer is reused while the lockfile stays the same. Drop `prepare` in this stage only; the
# dependencies' install scripts (better-sqlite3, msgpackr-extract, esbuild) still run, so no
# --ignore-scripts. The build runs explicitly below.
RUN --mount=type=cache,target=/root/.npm \
  npm pkg delete scripts.prepare \
  && npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: no compilers, runs as the unprivileged `node` user
FROM node:20-bookworm-slim
WORKDIR /app
# The seed's engine defaults for a container (a 1 GB budget, two worker threads), and the service
# settings the commands read (src/config.ts). MALLOC_ARENA_MAX: glibc gives each thread its own
# malloc arenas; with the workers' and libvips' threads that raised a 4096 px batch's peak RSS by up
# to ≈ 40 % (sharp's advice; figures in docs/ENGINE.md). The CLI does not set it itself.
ENV NODE_ENV=production \
  MEMORY_LIMIT_MB=1024 \
  MAX_WORKERS=2 \
  UV_THREADPOOL_SIZE=4 \
  MALLOC_ARENA_MAX=2 \
  DATA_DIR=/data \
  HOST=0.0.0.0 \
  PORT=8080

# Application files stay root-owned (read-only to the service); only /data is writable.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY web ./web
COPY src/data ./src/data

RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080

# No curl in the slim image: ask Node (global fetch) for /healthz. Workers serve no HTTP;
# docker-compose.yml turns this check off for them.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 8080}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/cli/main.js", "serve"]
