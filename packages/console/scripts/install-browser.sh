#!/usr/bin/env bash
# Installs Debian's chromium for @comfyrelay/console's browser tests (playwright-core drives it
# at /usr/bin/chromium; nothing is downloaded by playwright itself). Idempotent: does nothing
# when chromium is already there. Needs root (CI and the dev machines run as root).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
