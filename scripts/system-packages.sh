#!/usr/bin/env bash
# Install the Debian packages the given needs call for, only those missing.
#
#   scripts/system-packages.sh chromium postgresql gettext
#
# As root the missing packages are installed with apt-get (after one
# `apt-get update`). Any other user is told what to install, and the script
# still exits 0: the step that needs the package then fails or skips with its
# own message.
set -euo pipefail

missing=()
for need in "$@"; do
  case "$need" in
    chromium)
      [ -x /usr/bin/chromium ] || missing+=(chromium)
      # A small Chinese font, so that screenshots of the pages are readable.
      { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh family)" ]; } ||
        missing+=(fonts-wqy-microhei)
      ;;
    postgresql)
      compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
      ;;
    gettext)
      command -v msgfmt >/dev/null || missing+=(gettext)
      ;;
    *)
      echo "system-packages.sh: unknown need '$need'" >&2
      exit 2
      ;;
  esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 0
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
