#!/usr/bin/env bash
# Put a double-clickable launcher for this checkout into the user's application menu (and, if present, the desktop):
# the resources/ template with Exec pointing at this checkout's venv. Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps"
mkdir -p "$apps" "$icons"
cp "$root/resources/aigc-desktop.svg" "$icons/aigc-desktop.svg"
target="$apps/aigc-desktop.desktop"
sed -e "s|^Exec=.*|Exec=\"$root/.venv/bin/python\" \"$root/main.py\" %f|" \
    -e "s|^TryExec=.*|TryExec=$root/.venv/bin/python|" \
    -e "s|^Icon=.*|Icon=$icons/aigc-desktop.svg|" \
    "$root/resources/aigc-desktop.desktop" > "$target.tmp"
chmod +x "$target.tmp"
mv "$target.tmp" "$target"
if command -v desktop-file-validate >/dev/null 2>&1; then desktop-file-validate "$target"; fi
desktop_dir="$(xdg-user-dir DESKTOP 2>/dev/null || echo "$HOME/Desktop")"
if [ -d "$desktop_dir" ]; then cp "$target" "$desktop_dir/aigc-desktop.desktop"; fi
echo "$target"
