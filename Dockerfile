# Image for compose.yaml's web and worker services.
# The builder compiles the server (TypeScript to dist/node) and the client (dist/client) once,
# so that a container starts from JavaScript instead of compiling at every start.
FROM node:20-bookworm-slim AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run -s build:client && npm run -s build:server

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=builder /app/dist ./dist
COPY locales ./locales
COPY db/migrations ./db/migrations
EXPOSE 3000
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/node/server/main.js"]
