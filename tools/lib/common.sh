# shellcheck shell=bash disable=SC2034  # variables are for the scripts that source this
# Shared by tools/test, tools/fuzz and tools/demo (sourced, not run).
#
# Build dirs: build/ (or $TRIBUTARY_BUILD_DIR) for the normal build, build-sanitize/ for
# ASan+UBSan, build-fuzz/ for the clang libFuzzer build. All three use the libsrtp2 that
# tools/bootstrap built against OpenSSL into <build>/_deps/libsrtp2.

TRIBUTARY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TRIBUTARY_MAIN_BUILD=$(realpath -m "${TRIBUTARY_BUILD_DIR:-$TRIBUTARY_ROOT/build}")
TRIBUTARY_SRTP_PREFIX="$TRIBUTARY_MAIN_BUILD/_deps/libsrtp2"
# The options of the main build dir. tools/test and tools/demo both use exactly these, so that
# neither reconfigures (and rebuilds) what the other built.
TRIBUTARY_STANDARD_ARGS=(-DTRIBUTARY_WERROR=ON -DTRIBUTARY_TESTS=ON -DTRIBUTARY_SANITIZE=OFF
  -DTRIBUTARY_FUZZ=OFF)

# Formats a number of seconds as "42s" or "3m07s".
tributary_duration() {
  local s=$1
  if ((s < 60)); then printf '%ds' "$s"; else printf '%dm%02ds' $((s / 60)) $((s % 60)); fi
}

# Runs tools/bootstrap (it does nothing, quickly, when everything is in place).
tributary_bootstrap() {
  TRIBUTARY_BUILD_DIR="$TRIBUTARY_MAIN_BUILD" "$TRIBUTARY_ROOT/tools/bootstrap"
}

# Configures a Ninja build dir: tributary_configure DIR [cmake args...]. Refuses a dir that was
# configured with another generator, and makes CMake look for libsrtp2 again if the OpenSSL build
# appeared after the dir was first configured (e.g. after a fallback to Debian's libsrtp2).
tributary_configure() {
  local dir=$1
  shift
  local cache="$dir/CMakeCache.txt" extra=()
  if [[ -f "$cache" ]]; then
    local generator
    generator=$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$cache")
    if [[ -n "$generator" && "$generator" != "Ninja" ]]; then
      echo "$dir was configured with the '$generator' generator; the tools need Ninja." \
        "Remove $dir (or point TRIBUTARY_BUILD_DIR elsewhere) and run again." >&2
      return 1
    fi
    if [[ -f "$TRIBUTARY_SRTP_PREFIX/lib/libsrtp2.a" ]] &&
      ! grep -q "^pkgcfg_lib_SRTP2_srtp2:FILEPATH=$TRIBUTARY_SRTP_PREFIX/" "$cache"; then
      extra+=(-U 'pkgcfg_lib_SRTP2_*' -U 'SRTP2_*')
    fi
  fi
  cmake -S "$TRIBUTARY_ROOT" -B "$dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTRIBUTARY_SRTP_PREFIX="$TRIBUTARY_SRTP_PREFIX" \
    "${extra[@]}" "$@"
}
