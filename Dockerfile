# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript with the dev dependencies, then ship only the
# compiled server, the production dependencies, the migrations, the OpenAPI files and the
# console's stylesheet.
# Proven by `npm run test:docker` (scripts/test-docker.sh): build, run, curl.sh, stop.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# The lockfile links the client generator (a dev dependency) by path: npm ci needs its manifest.
COPY package.json package-lock.json ./
COPY clients/typescript/generator/package.json ./clients/typescript/generator/
# --ignore-scripts: `prepare` would build before the sources are copied; we build below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The admin CLI and the typed client it is built on, compiled with the server:
# `docker compose exec app node dist/clients/cli/admin.js <command>` (README).
COPY clients/cli ./clients/cli
COPY clients/typescript/src ./clients/typescript/src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --ignore-scripts

FROM node:24-bookworm-slim AS runtime
# MALLOC_MMAP_THRESHOLD_ as in `npm start`: glibc hands scrypt's 16 MB blocks back to the
# kernel instead of keeping one per libuv thread (~70 MB of RSS after a burst of logins).
# HOST=0.0.0.0 without PUBLIC_URL: the server takes http://127.0.0.1:PORT as its OAuth issuer
# (never 0.0.0.0, which no client can reach) and warns at start; set PUBLIC_URL to the URL
# clients use.
ENV NODE_ENV=production \
    MALLOC_MMAP_THRESHOLD_=131072 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
# The checkout's layout, as `npm start` runs it: the compiled code finds migrations/ and
# openapi/ in the directory holding package.json (src/paths.ts).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY openapi ./openapi
# The console's stylesheet (src/console/assets.ts finds it from the project root).
COPY src/console/assets ./src/console/assets
# The release, as GET /healthz, the console footer and webhook deliveries' User-Agent show it:
# `--build-arg GIT_DESCRIBE="$(git describe --tags --always --dirty)"` (the image has no .git;
# docker-compose.yml passes it from the environment). Empty = unknown (build: null).
ARG GIT_DESCRIBE=""
# The embedded store (used only without DATABASE_URL) needs a writable DATA_DIR.
RUN printf '%s\n' "$GIT_DESCRIBE" > build-version && mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness only; orchestrators should use GET /readyz (checks the database) for traffic.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself is PID 1 (not npm), so SIGTERM reaches close-with-grace: in-flight requests
# finish and the process exits 0 within SHUTDOWN_TIMEOUT_MS (10 s by default).
STOPSIGNAL SIGTERM
# The Node flags of `npm start`: V8's young generation at Node 20's size, not one that grows
# with the host's memory (~100 MB of RSS on a 24 GiB host), and no Maglev JIT (~35 MB of
# code under load), as Node 20 ran; neither bought throughput here (docs/PERFORMANCE.md).
CMD ["node", "--max-semi-space-size=16", "--heap-growing-percent=50", "--no-maglev", "dist/src/server.js"]
