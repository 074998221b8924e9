#!/usr/bin/env bash
# Installs the Debian packages packgen needs, when run as root; otherwise says
# exactly what to install. Usage: scripts/system-deps.sh build|test
set -euo pipefail

purpose=${1:-build}
packages=()

has_library() {
  ldconfig -p 2>/dev/null | grep -q "$1" || [ -e "/usr/lib/x86_64-linux-gnu/$1" ] ||
    [ -e "/usr/lib/aarch64-linux-gnu/$1" ] || [ -e "/usr/lib/$1" ]
}

# Debian's python3 has no venv module until python3-venv is installed.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  packages+=(python3-venv)
fi
# The printable PDFs: WeasyPrint lays text out with Pango and subsets fonts with
# HarfBuzz; the pages are set in Noto Sans and Noto Naskh Arabic, found by file name.
has_library libpango-1.0.so.0 || packages+=(libpango-1.0-0)
has_library libpangoft2-1.0.so.0 || packages+=(libpangoft2-1.0-0)
has_library libharfbuzz-subset.so.0 || packages+=(libharfbuzz-subset0)
noto=/usr/share/fonts/truetype/noto
if [ -z "${PACKGEN_FONT_DIRS:-}" ] &&
  { [ ! -f "$noto/NotoSans-Regular.ttf" ] || [ ! -f "$noto/NotoNaskhArabic-Regular.ttf" ]; }; then
  packages+=(fonts-noto-core)
fi
if [ "$purpose" = test ]; then
  # Browser tests open the built site in Debian's Chromium.
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  # GNU gettext's msgfmt checks our catalogs the way Poedit and Weblate read them.
  command -v msgfmt >/dev/null 2>&1 || packages+=(gettext)
  # The book tests compare the pages of PDFs as pictures (pdftoppm).
  command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)
  # ODK Validate, which pyxform ships, checks the digital forms; it runs on Java.
  command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
  # npm installs axe-core, which checks the built pages' accessibility.
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

[ ${#packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}"
else
  echo "packgen needs these Debian packages, which only root can install:" >&2
  echo "    sudo apt-get install ${packages[*]}" >&2
  echo "Run that (or run this command as root), then try again." >&2
  exit 1
fi
