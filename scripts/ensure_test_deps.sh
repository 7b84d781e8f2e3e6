#!/usr/bin/env bash
# System packages the test suite needs besides the Python tools of requirements/tools.lock:
# redis-server (Debian), which the fleet tests (tests/fleet) start on a loopback port of their own, and
# chromium (Debian), for the reference site's browser check (tests/docs).
# Installs what is missing with apt-get when run as root; otherwise says what to install and fails.
set -euo pipefail

# chromium (Debian), which tests/docs drives headless through playwright: never playwright's own browsers.
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "chromium is missing: install Debian's chromium package (apt-get install chromium)" >&2
        exit 1
    fi
    echo "installing chromium (Debian) for tests/docs" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
    test -x /usr/bin/chromium
fi

if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "redis-server is missing: install Debian's redis-server package (apt-get install redis-server)" >&2
    exit 1
fi
echo "installing redis-server (Debian) for tests/fleet" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q redis-server >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q redis-server >/dev/null; }
# The package starts a system-wide server on port 6379; the tests start their own and need not it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
    systemctl stop redis-server || true
fi
command -v redis-server >/dev/null
