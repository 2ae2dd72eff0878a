# One image for every role; docker-compose.yml picks the role with ROLES and the command.
FROM node:20-bookworm-slim
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_HOME=/corepack CI=true TURBO_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
WORKDIR /app
RUN corepack enable
COPY . .
# pnpm is fetched once at build time into COREPACK_HOME, readable by the unprivileged user.
RUN corepack install \
 && pnpm install --frozen-lockfile \
 && pnpm --filter @jobstream/db run generate \
 && pnpm --filter @jobstream/dashboard run build \
 && chmod -R a+rX /corepack
USER node
EXPOSE 3000 3001
# node itself as the main process, not pnpm: pnpm does not pass SIGTERM on to its children, so
# `docker stop` would skip the graceful shutdown (jobs handed back, mirror flushed).
WORKDIR /app/apps/api
CMD ["node", "--import", "tsx", "src/main.ts"]
