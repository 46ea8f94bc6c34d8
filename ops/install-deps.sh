#!/usr/bin/env bash
# Installs what AutoMerge needs from Debian: the datasets its examples train on; with --browser
# also chromium, which the dashboard's test drives headless (ops/test.sh asks for it).
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail
need=()
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
[ -f /usr/share/games/fortunes/cookie ] || need+=(fortunes)
[ -d /usr/share/games/fortunes/de ] || need+=(fortunes-de)
ls /usr/lib/python3.*/os.py >/dev/null 2>&1 || need+=(python3)
command -v mvn >/dev/null || need+=(maven)
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null || need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
