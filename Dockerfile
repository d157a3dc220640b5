# csr-gitops container image. Two stages: type-check and bundle the TypeScript, then ship only
# what runs: the bundle holds every dependency, so the image has no node_modules
# (scripts/image-layout.ts lays out the same files for the tests).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
COPY scripts/build.ts ./scripts/build.ts
# One minified bundle, dist/bundle/csr-gitops.js (scripts/build.ts says why: serve's memory).
RUN npx tsc -p tsconfig.build.json && node scripts/build.ts

FROM node:24-bookworm-slim
ENV NODE_ENV=production
# A small young generation: V8 otherwise grows it to tens of MiB while serve reconciles a burst,
# and keeps them. With 10,000 CSRs it is the difference between about 350 and 230 MiB resident
# (docs/benchmarks.md, "Memory of serve"). Override NODE_OPTIONS to change it.
ENV NODE_OPTIONS=--max-semi-space-size=2
# The C library's allocator: two arenas instead of up to 16 for Node's threads, and buffers of
# 128 KiB and more (the apiserver's list pages, response bodies) mapped and unmapped on their own
# instead of left in the arenas. With 10,000 CSRs about 20 MiB less resident.
ENV GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY package.json app.yml ./
COPY bin ./bin
COPY templates ./templates
COPY policy ./policy
# Never run as root: the process holds an approval-capable Kubernetes identity. 1000 is the
# image's "node" user, numeric so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
# --optimize-for-size: V8 otherwise keeps the heap pages a garbage collection frees pooled for
# reuse, resident, until a memory-reducing collection that a busy serve may never get: with 10,000
# CSRs about 100 MiB (docs/benchmarks.md, "Memory of serve"). Not allowed in NODE_OPTIONS.
ENTRYPOINT ["node", "--optimize-for-size", "bin/csr-gitops.js"]
# The same start command the tests run outside a container, on this stage's files laid out in a
# folder (scripts/image-layout.ts): test/kube/serve-process*.test.ts, the end-to-end tests and
# `npm run test:container`.
CMD ["serve"]
