# One image for the gateway, worker and scheduler; compose picks the command.
# NODE_IMAGE defaults to the public Node 20 image; air-gapped hosts pass the offline base
# (deploy/offline-bases/build.sh builds lambdock/base-node:20, which includes npm).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Hosts behind a TLS-inspecting proxy put their CA bundle in deploy/certs/extra-ca.crt.
COPY deploy/certs/ /usr/local/share/lambdock-certs/
RUN if [ -s /usr/local/share/lambdock-certs/extra-ca.crt ]; then \
      npm config set cafile /usr/local/share/lambdock-certs/extra-ca.crt; fi
COPY package.json package-lock.json tsconfig.base.json ./
COPY core/package.json core/
COPY gateway/package.json gateway/
COPY worker/package.json worker/
COPY scheduler/package.json scheduler/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund --ignore-scripts --include-workspace-root \
      -w core -w gateway -w worker -w scheduler
COPY core/ core/
COPY gateway/ gateway/
COPY worker/ worker/
COPY scheduler/ scheduler/
RUN npx tsc -b core gateway worker scheduler \
 && npm prune --omit=dev --no-audit --no-fund --ignore-scripts \
 && rm -rf test node_modules/@lambdock/test

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules/ node_modules/
COPY --from=build /app/core/package.json core/
COPY --from=build /app/core/dist/ core/dist/
COPY --from=build /app/gateway/package.json gateway/
COPY --from=build /app/gateway/dist/ gateway/dist/
COPY --from=build /app/worker/package.json worker/
COPY --from=build /app/worker/dist/ worker/dist/
COPY --from=build /app/scheduler/package.json scheduler/
COPY --from=build /app/scheduler/dist/ scheduler/dist/
CMD ["node", "gateway/dist/src/main.js"]
