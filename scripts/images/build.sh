#!/usr/bin/env bash
# Builds the two images from the Dockerfiles with buildah (no Docker engine needed), on the base image
# scripts/images/base.sh makes locally: profile-service/server (also the worker) and profile-service/client.
#   usage: scripts/images/build.sh [server|client ...]     (as root)
#   SERVER_IMAGE, CLIENT_IMAGE   tags (profile-service/server:dev, profile-service/client:dev)
#   NPM_CA_FILE                  CA bundle for a registry behind a TLS-inspecting proxy (default: the
#                                system bundle when NODE_EXTRA_CA_CERTS or npm's cafile points at one)
set -euo pipefail
cd "$(dirname "$0")/../.."
SERVER_IMAGE=${SERVER_IMAGE:-profile-service/server:dev}
CLIENT_IMAGE=${CLIENT_IMAGE:-profile-service/client:dev}
components=("$@")
[ ${#components[@]} -gt 0 ] || components=(server client)

command -v buildah >/dev/null || { echo "build.sh: buildah is not installed (apt-get install buildah)" >&2; exit 1; }
bash scripts/images/base.sh

ca=${NPM_CA_FILE:-${NODE_EXTRA_CA_CERTS:-$(npm config get cafile 2>/dev/null || true)}}
secret=()
if [ -n "$ca" ] && [ "$ca" != null ] && [ -s "$ca" ]; then secret=(--secret "id=npm-ca,src=$ca"); fi

for c in "${components[@]}"; do
  case "$c" in
    server) tag=$SERVER_IMAGE; args=() ;;
    client) tag=$CLIENT_IMAGE; args=() ;;
    *) echo "build.sh: unknown component '$c' (server or client)" >&2; exit 1 ;;
  esac
  echo "[images] building $tag from $c/Dockerfile"
  # Docker format keeps the HEALTHCHECK (OCI images have no such field).
  buildah bud --isolation chroot --format docker --layers=false "${secret[@]}" "${args[@]}" \
    -f "$c/Dockerfile" -t "$tag" .
done
buildah rmi --prune >/dev/null 2>&1 || true
