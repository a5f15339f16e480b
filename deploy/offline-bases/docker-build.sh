# Shared by the image build scripts (source it; it defines functions only).
# Uses $DOCKER (default docker).

# The classic builder (BuildKit may be absent on air-gapped hosts); its output is shown only
# when the build fails.
docker_build() {
  local output
  if ! output=$(DOCKER_BUILDKIT=0 "${DOCKER:-docker}" build "$@" 2>&1); then
    printf '%s\n' "$output" >&2
    return 1
  fi
}
