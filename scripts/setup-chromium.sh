#!/usr/bin/env bash
# Installs Debian's chromium for the browser test (test/bundler/browser.test.ts), which
# drives it headless through playwright-core. A no-op when it is already installed.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium
