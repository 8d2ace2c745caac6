#!/bin/sh
# Validates the desktop entry and the AppStream metainfo (CTest: installer_metadata).
#   installer/check-metadata.sh [INSTALLER_DIR]
# Offline (--no-net): the URLs are example.invalid placeholders and CI has no network.
# Exit 0 all valid, 1 a file is invalid, 77 (CTest SKIP_RETURN_CODE) a validator is missing.
dir=${1:-$(dirname "$0")}
status=0
missing=""
if command -v appstreamcli >/dev/null 2>&1; then
    appstreamcli validate --no-net "$dir/io.github.stagecraft.Stagecraft.metainfo.xml" || status=1
else
    missing="$missing appstreamcli (package appstream)"
fi
if command -v desktop-file-validate >/dev/null 2>&1; then
    # Silent when valid; any output is a finding.
    out=$(desktop-file-validate "$dir/io.github.stagecraft.Stagecraft.desktop" 2>&1) || status=1
    if [ -n "$out" ]; then
        echo "$out"
        status=1
    fi
else
    missing="$missing desktop-file-validate (package desktop-file-utils)"
fi
[ "$status" -ne 0 ] && exit "$status"
if [ -n "$missing" ]; then
    echo "SKIP: not installed:$missing"
    exit 77
fi
echo "installer metadata: valid"
exit 0
