#!/usr/bin/env bash
# Builds the base images that lambdock's runtime images use on machines without a registry.
#
#   lambdock/base:bookworm      Debian bookworm minbase + python3, curl, ca-certificates
#   lambdock/base-node:20       the above + this host's `node` binary in /usr/local/bin and its
#                               npm in /usr/local/lib/node_modules/npm (the layout of the public
#                               node images)
#   lambdock/base-python:3.11   a tag of lambdock/base:bookworm (Debian's python3 is 3.11)
#
# Idempotent: an image that already exists is left alone (base-node is rebuilt when its recipe
# version changes, base-python re-tagged when base changes); the debootstrap tree is cached.
#
# Environment:
#   LAMBDOCK_CACHE_DIR      cache root (default /var/cache/lambdock)
#   LAMBDOCK_DEBIAN_MIRROR  apt mirror for debootstrap (default http://deb.debian.org/debian)
#   LAMBDOCK_NODE_BIN       node binary to copy (default: `command -v node`); it must be linked
#                           against glibc no newer than bookworm's
#   LAMBDOCK_NPM_DIR        npm package directory to copy (default: found next to node)
#   DOCKER                  docker CLI (default docker)
set -euo pipefail

readonly BASE_IMAGE=lambdock/base:bookworm
readonly NODE_IMAGE=lambdock/base-node:20
readonly PYTHON_IMAGE=lambdock/base-python:3.11
readonly SUITE=bookworm
readonly INCLUDE_PACKAGES=python3,curl,ca-certificates
# Bump when the recipe of an image changes, so existing images built the old way are rebuilt.
readonly NODE_RECIPE=2

CACHE_DIR=${LAMBDOCK_CACHE_DIR:-/var/cache/lambdock}
MIRROR=${LAMBDOCK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
DOCKER=${DOCKER:-docker}
ROOTFS_DIR="$CACHE_DIR/rootfs/$SUITE-minbase"

log() { printf '[offline-bases] %s\n' "$*"; }

# shellcheck source=/dev/null
source "$(dirname "${BASH_SOURCE[0]}")/docker-build.sh"

image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

image_label() {
  "$DOCKER" image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}

find_npm_dir() {
  local node_bin=$1 candidate
  for candidate in "${LAMBDOCK_NPM_DIR:-}" \
    "$(dirname "$(dirname "$node_bin")")/lib/node_modules/npm" \
    "$(dirname "$(dirname "$(readlink -f "$(command -v npm 2>/dev/null || echo /nonexistent)")")")"; do
    if [[ -n "$candidate" && -f "$candidate/bin/npm-cli.js" ]]; then
      echo "$candidate"
      return
    fi
  done
}

ensure_rootfs() {
  # The marker is written last, so an interrupted debootstrap is redone rather than imported.
  if [[ -f "$ROOTFS_DIR/.lambdock-complete" ]]; then
    log "reusing cached rootfs $ROOTFS_DIR"
    return
  fi
  command -v debootstrap >/dev/null || { log "debootstrap not found: apt-get install debootstrap"; exit 1; }
  [[ $(id -u) -eq 0 ]] || { log "debootstrap needs root"; exit 1; }
  local tmp="$ROOTFS_DIR.partial"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  log "debootstrap --variant=minbase --include=$INCLUDE_PACKAGES $SUITE $tmp $MIRROR"
  local started=$SECONDS
  debootstrap --variant=minbase --include="$INCLUDE_PACKAGES" "$SUITE" "$tmp" "$MIRROR"
  # Package caches and lists only make the image bigger; apt-get update restores the lists.
  rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/* "$tmp"/var/log/*.log
  touch "$tmp/.lambdock-complete"
  rm -rf "$ROOTFS_DIR"
  mv "$tmp" "$ROOTFS_DIR"
  log "debootstrap done in $((SECONDS - started)) s"
}

build_base() {
  if image_exists "$BASE_IMAGE"; then
    log "$BASE_IMAGE exists, skipping"
    return
  fi
  ensure_rootfs
  log "importing $ROOTFS_DIR as $BASE_IMAGE"
  tar -C "$ROOTFS_DIR" --exclude=./.lambdock-complete --exclude='./dev/*' \
    --exclude='./proc/*' --exclude='./sys/*' -c . |
    "$DOCKER" import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["/bin/bash"]' \
      --message "debootstrap --variant=minbase $SUITE (+$INCLUDE_PACKAGES)" \
      - "$BASE_IMAGE" >/dev/null
}

build_node() {
  if [[ "$(image_label "$NODE_IMAGE" lambdock.recipe)" == "$NODE_RECIPE" ]]; then
    log "$NODE_IMAGE exists, skipping"
    return
  fi
  local node_bin=${LAMBDOCK_NODE_BIN:-$(command -v node || true)}
  [[ -n "$node_bin" && -x "$node_bin" ]] || { log "no node binary found; set LAMBDOCK_NODE_BIN"; exit 1; }
  node_bin=$(readlink -f "$node_bin")
  local npm_dir
  npm_dir=$(find_npm_dir "$node_bin")
  [[ -n "$npm_dir" ]] || { log "npm not found next to $node_bin; set LAMBDOCK_NPM_DIR"; exit 1; }
  BUILD_CTX=$(mktemp -d)
  trap 'rm -rf "$BUILD_CTX"' EXIT
  local ctx=$BUILD_CTX
  cp "$node_bin" "$ctx/node"
  cp -a "$npm_dir" "$ctx/npm"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE_IMAGE
LABEL lambdock.recipe="$NODE_RECIPE"
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
# The host binary is already 0755; a chmod here would duplicate its 99 MB in a new layer.
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && node --version && npm --version
DOCKERFILE
  log "building $NODE_IMAGE with $node_bin ($("$node_bin" --version)) and npm from $npm_dir"
  docker_build -t "$NODE_IMAGE" "$ctx"
}

build_python() {
  local base_id
  base_id=$("$DOCKER" image inspect --format '{{.Id}}' "$BASE_IMAGE")
  if [[ "$("$DOCKER" image inspect --format '{{.Id}}' "$PYTHON_IMAGE" 2>/dev/null)" == "$base_id" ]]; then
    log "$PYTHON_IMAGE exists, skipping"
    return
  fi
  log "tagging $BASE_IMAGE as $PYTHON_IMAGE ($("$DOCKER" run --rm "$BASE_IMAGE" python3 --version))"
  "$DOCKER" tag "$BASE_IMAGE" "$PYTHON_IMAGE"
}

main() {
  local started=$SECONDS
  build_base
  build_node
  build_python
  log "ready: $BASE_IMAGE $NODE_IMAGE $PYTHON_IMAGE ($((SECONDS - started)) s)"
}

main "$@"
