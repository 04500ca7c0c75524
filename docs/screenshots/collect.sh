#!/usr/bin/env bash
# Copies the page screenshots the accessibility browser test takes (every page, every role, both themes, 1280 and
# 390 px, on the demo data) from the test output into docs/screenshots/pages, and those of the public status page,
# the mails and the notification settings into docs/screenshots/reaching-people, compressed with pngquant when it is
# installed (apt-get install pngquant). `collect.sh pages` or `collect.sh people` copies one set. Run after:
#   dotnet test tests/SlaGrains.EndToEnd.Tests --filter "FullyQualifiedName~AccessibilityTests|FullyQualifiedName~PublicStatusPageTests|FullyQualifiedName~QuietHoursTests|FullyQualifiedName~StatusSubscriberBrowserTests"
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
which="${1:-all}" # pages, people or all
from="${2:-$root/tests/SlaGrains.EndToEnd.Tests/bin/Debug/net10.0/screenshots}"
to="$root/docs/screenshots/pages"
people="$root/docs/screenshots/reaching-people"
count=0
copy() {
  if [ ! -f "$1" ]; then
    echo "missing: $1" >&2
    exit 1
  fi
  if command -v pngquant >/dev/null; then
    pngquant --quality 60-85 --speed 1 --force --output "$2" "$1"
  else
    cp "$1" "$2"
  fi
  count=$((count + 1))
}
if [ "$which" != people ]; then
mkdir -p "$to"
rm -f "$to"/*.png
for theme in light dark; do
  for shot in anonymous-signin technician-board technician-ticket manager-inbox manager-board manager-reports manager-credits \
              manager-admin manager-settings admin-admin customer-status customer-settings customer-of-spreeland-logistik-status \
              customer-of-coastline-physio-status; do
    for width in 1280 390; do
      suffix=$([ "$width" = 390 ] && echo "-390" || true)
      copy "$from/a11y-$theme-$shot$suffix.png" "$to/$shot-$theme-$width.png"
    done
  done
done
fi
if [ "$which" != pages ]; then
mkdir -p "$people"
rm -f "$people"/*.png
for shot in public-status-page-light public-status-page-dark public-status-page-light-390 public-status-page-dark-390 \
            mail-breach mail-subscriber-update settings-notifications subscriber-confirmed; do
  copy "$from/$shot.png" "$people/$shot.png"
done
fi
echo "$count screenshots in $to and $people"
