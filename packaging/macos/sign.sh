#!/bin/bash
# Sign "Face Station.app" for Developer ID distribution, inside out and without `codesign --deep`
# (Apple: --deep applies one set of options to every nested item; sign each item as what it is).
#
#   packaging/macos/sign.sh "dist/Face Station.app" "Developer ID Application: NAME (TEAMID)"
#
# Written, not yet run: nothing macOS was built here (docs/installers-windows-macos.md).
set -euo pipefail

app=${1:?usage: sign.sh APP IDENTITY}
identity=${2:?usage: sign.sh APP IDENTITY}
entitlements="$(cd "$(dirname "$0")" && pwd)/entitlements.plist"
main="$app/Contents/MacOS/face-station"

sign() { codesign --force --timestamp --options runtime --sign "$identity" "$@"; }

# 1. Every Mach-O file but the program (.so, .dylib, Qt's framework binaries), longest path first
#    so that nested code is signed before what contains it. Libraries take no entitlements.
find "$app/Contents" -type f ! -path "$main" -print0 |
    while IFS= read -r -d '' file; do
        if file -b "$file" | grep -q '^Mach-O'; then printf '%s\t%s\0' "${#file}" "$file"; fi
    done |
    sort -z -t $'\t' -k1,1nr |
    while IFS=$'\t' read -r -d '' _ file; do sign "$file"; done

# 2. Nested .framework bundles (PySide6's Qt), deepest first, now that their binaries are signed.
find "$app/Contents" -type d -name '*.framework' -print0 |
    sort -z -r |
    while IFS= read -r -d '' framework; do sign "$framework"; done

# 3. The program, then the app around it: these carry the entitlements (camera).
sign --entitlements "$entitlements" "$main"
sign --entitlements "$entitlements" "$app"

codesign --verify --strict --deep --verbose=2 "$app"
codesign --display --entitlements - "$app"
