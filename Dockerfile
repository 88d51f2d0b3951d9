# Pathlight with PDFs: Node 20 on Debian 12, with Debian's own chromium package (no browser is
# downloaded by npm or puppeteer). Used by App Engine flexible (app.flexible.yaml) and Cloud Run.
FROM node:20-bookworm-slim

# Chromium prints the PDFs; the fonts give reports the same glyphs as in tests (Latin, CJK, emoji).
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-noto-core \
    fonts-noto-cjk fonts-noto-color-emoji ca-certificates \
  && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
  PATHLIGHT_HOST=0.0.0.0 \
  PORT=8080 \
  PATHLIGHT_BROWSER_PATH=/usr/bin/chromium \
  PATHLIGHT_DATA_DIR=/tmp/pathlight \
  PUPPETEER_SKIP_DOWNLOAD=true

WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies are needed for the build (tsc), then pruned. `npm install` (which keeps the lock's
# versions), not `npm ci`: npm refuses this lock for leaving out other platforms' DuckDB binaries.
RUN npm install --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

USER node
EXPOSE 8080
CMD ["node", "bin/pathlight.js", "serve"]
