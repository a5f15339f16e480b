#!/usr/bin/env bash
# The one test command: installs npm dependencies, finds Redis and Docker (failing with the
# fix when either is missing), builds the runtime images if missing, builds, lints, and runs
# every lane (unit, integration, end-to-end) in one node:test run.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

say "npm dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

say "Docker"
docker info --format '{{.ServerVersion}}' >/dev/null 2>&1 \
  || die "A Docker engine is required. Install and start it: apt-get install -y docker.io && (dockerd &)"
echo "engine $(docker info --format '{{.ServerVersion}}')"

say "Ceph RGW (storage-webhook peer)"
command -v radosgw >/dev/null && [ -x /usr/bin/aws ] \
  || die "Ceph's S3 gateway and the AWS CLI are required: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common awscli"
echo "radosgw $(radosgw --version 2>/dev/null | awk '{print $3}')"

say "libfaketime (a worker with a stepped clock in the end-to-end tests)"
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] \
  || die "libfaketime is required: apt-get install -y faketime"
echo "libfaketime present"

say "curl with --aws-sigv4 (a real SigV4 signer in the end-to-end tests)"
curl --help all 2>/dev/null | grep -q -- '--aws-sigv4' \
  || die "curl 7.75 or later is required: apt-get install -y curl"
curl --version | head -1

say "Python 3 (runs the Python runtime's client in unit tests)"
command -v python3 >/dev/null || die "Python 3 is required: apt-get install -y python3"
python3 --version

say "Redis"
if [ -n "${REDIS_URL:-}" ]; then
  echo "using REDIS_URL=${REDIS_URL}"
elif command -v redis-server >/dev/null; then
  echo "a private redis-server is started per suite ($(redis-server --version | cut -d' ' -f3))"
elif (for i in redis:7.2-bookworm redis:7 lambdock/redis:7; do docker image inspect "$i" >/dev/null 2>&1 && exit 0; done; exit 1); then
  echo "no redis-server: each suite runs Redis in a container on a loopback port"
else
  die "Redis is required. Install it (apt-get install -y redis-server), set REDIS_URL, or load a Redis image (redis:7.2-bookworm or lambdock/redis:7)."
fi

say "runtime images"
base_flag=--offline
[ "${LAMBDOCK_PUBLIC_BASES:-0}" = 1 ] && base_flag=
bash runtime-images/build.sh --if-missing $base_flag
bash test/fixtures/images/node-ric/build.sh --if-missing $base_flag

say "build"
npx tsc -b

say "lint"
npx eslint --max-warnings 0 .
npx madge --circular --extensions js core/dist/src gateway/dist/src worker/dist/src scheduler/dist/src

say "tests (unit, integration, end-to-end)"
shopt -s globstar nullglob
files=(core/dist/test/**/*.test.js gateway/dist/test/**/*.test.js worker/dist/test/**/*.test.js \
  scheduler/dist/test/**/*.test.js test/dist/integration/**/*.test.js test/dist/e2e/**/*.test.js)
[ ${#files[@]} -gt 0 ] || die "no test files found"
node --test --test-concurrency=1 --test-timeout=600000 "${files[@]}"
