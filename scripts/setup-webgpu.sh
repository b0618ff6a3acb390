#!/usr/bin/env bash
# Installs Mesa's lavapipe Vulkan driver so the `webgpu` npm package (Dawn) finds an adapter
# headless. Debian bookworm's own Mesa 22 is rejected by Dawn, so it comes from
# bookworm-backports (Mesa 25). Idempotent; needs root (or sudo). Used by .ci/run.
set -euo pipefail

if ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 && dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -qv '^22\.'; then
  echo "setup-webgpu: lavapipe already installed ($(dpkg-query -W -f='${Version}' mesa-vulkan-drivers))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

. /etc/os-release
if [ "${VERSION_CODENAME:-}" = bookworm ]; then
  list=/etc/apt/sources.list.d/bookworm-backports.list
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # The backports suite lives on the same Debian mirror the machine already uses.
    mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v -- '-security' | head -n 1 || true)
    [ -n "$mirror" ] || mirror=$(grep -hs '^deb ' /etc/apt/sources.list | awk '$3 == "bookworm" {print $2}' | head -n 1 || true)
    if [ -z "$mirror" ]; then
      echo "setup-webgpu: no Debian mirror found in /etc/apt to take bookworm-backports from" >&2
      exit 1
    fi
    echo "deb $mirror bookworm-backports main" | $SUDO tee "$list" >/dev/null
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers
else
  # Newer Debian/Ubuntu releases ship a Mesa recent enough for Dawn.
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mesa-vulkan-drivers
fi
echo "setup-webgpu: installed mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
