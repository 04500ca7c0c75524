#!/usr/bin/env bash
# Copies the page screenshots the accessibility browser test takes (every page, every role, both themes, 1280 and
# 390 px, on the demo data) from the test output into docs/screenshots/pages, compressed with pngquant when it is
# installed (apt-get install pngquant). Run after:
#   dotnet test tests/SlaGrains.EndToEnd.Tests --filter "FullyQualifiedName~AccessibilityTests"
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
from="${1:-$root/tests/SlaGrains.EndToEnd.Tests/bin/Debug/net10.0/screenshots}"
to="$root/docs/screenshots/pages"
mkdir -p "$to"
rm -f "$to"/*.png
count=0
for theme in light dark; do
  for shot in anonymous-signin technician-board technician-ticket manager-inbox manager-board manager-reports manager-credits \
              manager-admin manager-settings admin-admin customer-status customer-settings customer-of-spreeland-logistik-status \
              customer-of-coastline-physio-status; do
    for width in 1280 390; do
      suffix=$([ "$width" = 390 ] && echo "-390" || true)
      source="$from/a11y-$theme-$shot$suffix.png"
      if [ ! -f "$source" ]; then
        echo "missing: $source" >&2
        exit 1
      fi
      target="$to/$shot-$theme-$width.png"
      if command -v pngquant >/dev/null; then
        pngquant --quality 60-85 --speed 1 --force --output "$target" "$source"
      else
        cp "$source" "$target"
      fi
      count=$((count + 1))
    done
  done
done
echo "$count screenshots in $to"
