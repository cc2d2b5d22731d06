# One image for every Portico service; each compose service picks its entry with `command`.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production
# A larger young generation: the gateway allocates much short-lived data per request, and
# scavenges then cost less (+21 % requests/s in docs/performance.md).
ENV NODE_OPTIONS=--max-semi-space-size=64

# Dependencies first, so a code change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY bin ./bin
COPY cli ./cli
COPY common ./common
COPY backends ./backends
COPY gateway ./gateway
COPY deploy ./deploy
COPY subgraphs ./subgraphs
COPY schema ./schema
COPY tsconfig.json ./

USER node
# The gateway, as deployed; the other services override this.
CMD ["node", "bin/portico.js", "gateway", "--supergraph", "schema/supergraph.graphql"]
