#!/usr/bin/env bash
# Builds lambdock's runtime images:
#
#   lambdock/runtime:nodejs20.x   runtime-images/nodejs20.x
#   lambdock/runtime:python3.11   runtime-images/python3.11
#   lambdock/runtime:provided     runtime-images/provided
#
#   build.sh [--offline] [--if-missing] [nodejs20.x|python3.11|provided ...]
#
# --offline     build FROM the local bases of deploy/offline-bases/build.sh (run first) instead
#               of the public node/python/debian images. Also LAMBDOCK_OFFLINE=1.
# --if-missing  skip an image that exists and was built from the same sources and base
#               (label lambdock.source-hash); rebuild it otherwise.
set -euo pipefail

readonly HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly REPO_ROOT=$(cd "$HERE/.." && pwd)
readonly ALL_RUNTIMES=(nodejs20.x python3.11 provided)
readonly HASH_LABEL=lambdock.source-hash

DOCKER=${DOCKER:-docker}
OFFLINE=${LAMBDOCK_OFFLINE:-0}
IF_MISSING=0
RUNTIMES=()

log() { printf '[runtime-images] %s\n' "$*"; }

# shellcheck source=/dev/null
source "$REPO_ROOT/deploy/offline-bases/docker-build.sh"

for arg in "$@"; do
  case "$arg" in
    --offline) OFFLINE=1 ;;
    --if-missing) IF_MISSING=1 ;;
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    nodejs20.x | python3.11 | provided) RUNTIMES+=("$arg") ;;
    *) log "unknown argument: $arg"; exit 2 ;;
  esac
done
[[ ${#RUNTIMES[@]} -gt 0 ]] || RUNTIMES=("${ALL_RUNTIMES[@]}")

base_image() {
  case "$1:$OFFLINE" in
    nodejs20.x:1) echo lambdock/base-node:20 ;;
    python3.11:1) echo lambdock/base-python:3.11 ;;
    provided:1) echo lambdock/base:bookworm ;;
    nodejs20.x:0) echo node:20-bookworm-slim ;;
    python3.11:0) echo python:3.11-slim-bookworm ;;
    provided:0) echo debian:bookworm-slim ;;
  esac
}

# Hash of every file in the runtime folder (names, modes and contents) plus the base image's
# name and id, so a changed bootstrap or a rebuilt base both lead to a rebuild.
source_hash() {
  local dir=$1 base=$2 base_id
  base_id=$("$DOCKER" image inspect --format '{{.Id}}' "$base" 2>/dev/null || echo "$base")
  {
    (cd "$dir" && find . -type f -print0 | sort -z | xargs -0 stat -c '%n %a' &&
      find . -type f -print0 | sort -z | xargs -0 sha256sum)
    echo "base $base $base_id"
  } | sha256sum | cut -d' ' -f1
}

build_one() {
  local runtime=$1
  local dir="$HERE/$runtime" image="lambdock/runtime:$runtime" base hash current
  base=$(base_image "$runtime")
  hash=$(source_hash "$dir" "$base")
  if [[ $IF_MISSING == 1 ]]; then
    current=$("$DOCKER" image inspect --format "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$image" 2>/dev/null || true)
    if [[ "$current" == "$hash" ]]; then
      log "$image is up to date, skipping"
      return
    fi
    [[ -z "$current" ]] || log "$image was built from other sources, rebuilding"
  fi
  log "building $image FROM $base"
  local started=$SECONDS
  docker_build --build-arg "BASE_IMAGE=$base" --label "$HASH_LABEL=$hash" -t "$image" "$dir"
  log "built $image in $((SECONDS - started)) s"
}

main() {
  if [[ $OFFLINE == 1 ]]; then
    "$REPO_ROOT/deploy/offline-bases/build.sh"
  fi
  local runtime
  for runtime in "${RUNTIMES[@]}"; do
    build_one "$runtime"
  done
}

main
