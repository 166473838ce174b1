#!/usr/bin/env bash
# Makes the base image the Dockerfiles build FROM (node:24-bookworm-slim) where no image registry is
# reachable: Debian bookworm (debootstrap, minbase) with the project's pinned Node and npm taken from
# the npm registry, and the official image's non-root `node` user (uid/gid 1000, home /home/node).
# Idempotent: an image already made for the same Node and npm is kept.
#   usage: scripts/images/base.sh            (as root: debootstrap and buildah need it)
set -euo pipefail
cd "$(dirname "$0")/../.."

NODE_VERSION=$(sed -n 's/^ *"node": "\([0-9][0-9.]*\)".*/\1/p' package.json | head -n1)
NPM_VERSION=${NPM_VERSION:-11.19.1}
IMAGE=${BASE_IMAGE:-docker.io/library/node:24-bookworm-slim}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
STAMP="node-${NODE_VERSION} npm-${NPM_VERSION} bookworm-minbase r1"
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "unsupported $(uname -m)" >&2; exit 1 ;; esac

[ -n "$NODE_VERSION" ] || { echo "base.sh: no pinned node version in package.json" >&2; exit 1; }
current=$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "profile-service.base"}}' \
  "$IMAGE" 2>/dev/null || true)
if [ "$current" = "$STAMP" ]; then
  echo "[base] $IMAGE is up to date ($STAMP)"
  exit 0
fi

work=$(mktemp -d /var/tmp/profile-base.XXXXXX)
ctr=
cleanup() {
  [ -z "$ctr" ] || buildah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "[base] debootstrap bookworm (minbase) from $MIRROR"
debootstrap --variant=minbase bookworm "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log" >&2; exit 1; }
root=$work/rootfs

echo "[base] Node $NODE_VERSION and npm $NPM_VERSION from the npm registry"
(cd "$work" && npm pack --silent "node-linux-${arch}@${NODE_VERSION}" "npm@${NPM_VERSION}" >/dev/null)
mkdir -p "$work/node" "$root/usr/local/lib/node_modules/npm" "$root/usr/local/include"
tar -xzf "$work/node-linux-${arch}-${NODE_VERSION}.tgz" -C "$work/node" --strip-components=1
install -m 0755 "$work/node/bin/node" "$root/usr/local/bin/node"
cp -r "$work/node/include/node" "$root/usr/local/include/"
tar -xzf "$work/npm-${NPM_VERSION}.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"

# The official image's user, so `USER node` and --chown=node:node mean the same here.
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
[ "$(chroot "$root" /usr/local/bin/node --version)" = "v$NODE_VERSION" ]
chroot "$root" /usr/local/bin/npm --version >/dev/null
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/tmp/*

echo "[base] committing $IMAGE"
ctr=$(buildah from scratch)
mnt=$(buildah mount "$ctr")
tar -C "$root" -cf - . | tar -C "$mnt" -xpf -
buildah umount "$ctr" >/dev/null
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="$NODE_VERSION" --cmd node --label "profile-service.base=$STAMP" "$ctr"
buildah commit --rm -q "$ctr" "$IMAGE" >/dev/null
ctr=
echo "[base] $IMAGE ($STAMP)"
