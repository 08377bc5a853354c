# Image for compose.yaml's web and worker services.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
EXPOSE 3000
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "server/main.ts"]
