# The monitor's image for docker-compose.yml. Chromium (for JS-rendered outlets, PDF digests and
# evidence screenshots) comes from Debian, as on the development machines.
FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-noto-core ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm install --no-save tsx@4.23.15
COPY . .
RUN mkdir -p /app/storage && chown node:node /app/storage
ENV NODE_ENV=production
USER node
EXPOSE 8080 9464
# The long-running monitor (migrates the indices on start): crawl, pipeline, rules, alerts, digests, web app,
# /metrics and /healthz. Crawler workers of a bigger deployment add `--shard i/n --no-web`.
CMD ["npx", "tsx", "cli/monitor.ts", "run", "--host", "0.0.0.0"]
