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
CMD ["npx", "tsx", "cli/monitor.ts", "es", "migrate"]
