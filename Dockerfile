# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript with the dev dependencies, then ship only the
# compiled server, the production dependencies, the migrations and the OpenAPI files.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
# dist/src/** keeps the source layout, so src/db/client.js finds ../../migrations and
# src/ops/routes.js finds ../../openapi, exactly as src/**/*.ts do in a checkout.
COPY --from=build /app/dist/src ./src
COPY migrations ./migrations
COPY openapi ./openapi
# The embedded store (used only without DATABASE_URL) needs a writable DATA_DIR.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness only; orchestrators should use GET /readyz (checks the database) for traffic.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself is PID 1 (not npm), so SIGTERM reaches close-with-grace: in-flight requests
# finish and the process exits 0 within SHUTDOWN_TIMEOUT_MS (10 s by default).
STOPSIGNAL SIGTERM
CMD ["node", "src/server.js"]
