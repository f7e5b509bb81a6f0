#!/usr/bin/env bash
# Set up brochure-press on Debian/Ubuntu: the system libraries WeasyPrint needs, Ghostscript for preflight's ink
# coverage, then .venv with the project.
# --test adds what only the tests need: the test tools, and chromium for the preview's browser test.
# Run again, it only checks: packages already installed and an up-to-date .venv are left as they are.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  "") extra="" ;;
  --test) extra="[test]" ;;
  *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
esac

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 poppler-utils ghostscript)
[ -n "$extra" ] && packages+=(chromium)
python3 -c "import ensurepip" 2>/dev/null || packages+=(python3-venv)
installed="$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${packages[@]}" 2>/dev/null || true)"
missing=()
for package in "${packages[@]}"; do
  grep -q "^$package ii" <<<"$installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# A stamp per kind of set-up names the Python and pyproject.toml it was made from; the test set-up includes the other.
stamp() { echo ".venv/.setup${1:+-test}"; }
wanted="$(python3 --version) $(sha256sum pyproject.toml | cut -d' ' -f1)"
current() { [ -x .venv/bin/python ] && [ "$(cat "$(stamp "$1")" 2>/dev/null)" = "$wanted" ]; }
if ! current "$extra" && { [ -n "$extra" ] || ! current "[test]"; }; then
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extra"
  echo "$wanted" >"$(stamp "$extra")"
fi
echo "Ready: .venv/bin/brochure-press"
