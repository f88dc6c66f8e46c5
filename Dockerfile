# syntax=docker/dockerfile:1
# One image for the gateway and the four subgraphs; docker-compose.yml picks the entry point.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
# NODE_OPTIONS: SERVICE_NODE_FLAGS of lib/http/serviceProcess.ts, the young generation every service needs under load.
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=1 NODE_OPTIONS=--max-semi-space-size=64
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# Code stays owned by root, so the service cannot rewrite itself; it runs as the image's unprivileged user.
USER node
EXPOSE 4000
CMD ["node", "dist/gateway/main.js"]
