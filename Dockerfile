# One image for every Portico service; each compose service picks its entry with `command`.
# Two stages: the first compiles the TypeScript (it needs the development dependencies), the
# second holds only the production dependencies and the compiled JavaScript. Node is pinned to a
# release of the current LTS line; change both stages together.

FROM node:26.12.1-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; the build is the next step.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY backends ./backends
COPY cli ./cli
COPY common ./common
COPY gateway ./gateway
COPY subgraphs ./subgraphs
RUN npm run build

FROM node:26.12.1-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Node 20's young generation (two 16 MiB semi-spaces), stated so that every Node version runs
# alike: 8 cost a third of the throughput on a quiet machine and 64 cost 80 MiB of peak RSS for no
# gain (docs/performance.md, step 30). `npm run bench` runs Portico with the same options
# (bench/gateways/porticoGatewayArgs.ts; a test keeps the two equal).
ENV NODE_OPTIONS=--max-semi-space-size=16
# glibc's malloc held to one arena: by default each thread V8 compiles or collects on keeps an
# arena of its own whose freed memory stays resident, 15-25 MiB of the gateway's peak RSS under
# load on Node 26, for no throughput the bench can tell (docs/performance.md, step 41).
ENV MALLOC_ARENA_MAX=1
# Node keeps the code it compiles here, so a restarted container starts faster (most of a start
# is compiling the dependencies' JavaScript).
ENV NODE_COMPILE_CACHE=/tmp/node-compile-cache

# Dependencies first, so a code change does not reinstall them. --ignore-scripts: `prepare`
# builds, which needs the development dependencies this stage leaves out.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY --from=build /app/dist ./dist
COPY bin ./bin
# What the compiled code reads from the root (common/projectRoot.ts): the SDL and protos, the
# gateway config compose runs, the explorer bundle the gateway serves.
COPY schema ./schema
COPY deploy ./deploy
COPY gateway/explorer/generated ./gateway/explorer/generated
# The web client's persisted-documents manifest, the trusted documents of deploy/gateway.yaml.
COPY web/src/generated/persisted-documents.json ./web/src/generated/persisted-documents.json

# Non-root: the image's `node` user owns nothing it runs.
USER node
# The gateway, as deployed; the other services override this.
CMD ["node", "bin/portico.js", "gateway", "--supergraph", "schema/supergraph.graphql"]
