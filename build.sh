#!/usr/bin/env bash
# build.sh - build the Worker's wasm module, and the native test programs.
#
#   ./build.sh            build build/vc.wasm (reactor, -Oz, stripped) and print its size
#   ./build.sh native     build and run the native C tests (and replay the fuzz corpora) under ASan + UBSan
#   ./build.sh fuzz [S]   run each libFuzzer target for S seconds (default $FUZZ_SECONDS; 60 in CI, else 10)
#   ./build.sh deps       only fetch and verify cJSON (prints its directory)
#
# Environment:
#   WASI_SDK_PATH   a wasi-sdk install to use (default /opt/wasi-sdk when present);
#                   otherwise Debian's clang-19 + lld-19 + wasi-libc are used
#                   (installed automatically when running as root on Debian/Ubuntu).
#   CJSON_SRC       a directory holding a verified cJSON.c and cJSON.h to use.
#   VC_CACHE_DIR    where fetched sources are cached (default ~/.cache/video-call-worker).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="$ROOT/build"
CACHE="${VC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/video-call-worker}"

# ---- cJSON pin -------------------------------------------------------------
# cJSON 1.7.15 as Debian 12 ships it (1.7.15-1+deb12u4: upstream plus Debian's
# security patches). The upstream tarball is byte-identical to Debian's .orig.
CJSON_VERSION=1.7.15
CJSON_DEB_VERSION=1.7.15-1+deb12u4
CJSON_ORIG_SHA256=5308fd4bd90cef7aa060558514de6a1a4a0819974a26e6ed13973c5f624c24b2
CJSON_DEBIAN_SHA256=afd19a970966cf534ff1e9ec077d710a5e7e78eb4ec9b499c8bdc32e55da12cb
CJSON_UPSTREAM_URL="https://github.com/DaveGamble/cJSON/archive/refs/tags/v${CJSON_VERSION}.tar.gz"
# The files the build compiles: Debian-patched, and (internet-only machines
# that cannot reach Debian's archive) plain upstream.
CJSON_H_SHA256=c25b54ebc98e814eb7b3eeaf12ce899806f87ff5a275b20a3b77dbb3968e5d0b
CJSON_C_SHA256_PATCHED=5c5ab83a24eecfebc25b6aa4d47dbdb5f23d1baec92de75fec5f0528dbe255a7
CJSON_C_SHA256_UPSTREAM=971822d8c3cbb22c180f16cea9ef66ee5d3e10dcade6c61d4ac9a18f475d8520
# Request bodies are a few hundred bytes: nothing legitimate nests deeper.
CJSON_NESTING_LIMIT=16
# An instance never needs more than a few hundred KB; cap its memory at 4 MiB.
VC_MAX_MEMORY_PAGES=64
VC_WASM_SIZE_LIMIT=65536

TOOLCHAIN_PACKAGES="clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32 libclang-rt-19-dev binaryen"

TEMP_DIRS=()
trap 'rm -rf "${TEMP_DIRS[@]}"' EXIT

say() { printf 'build.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
is_root_debian() { [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; }

apt_install() {
    say "installing $* (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# ---- toolchains ------------------------------------------------------------
# binaryen: clang runs its wasm-opt on every -Oz link when it is on PATH
# (about 14% smaller, and the same module on every machine).
debian_toolchain_ok() {
    command -v clang-19 >/dev/null && command -v wasm-ld-19 >/dev/null && command -v wasm-opt >/dev/null &&
        [ -f /usr/lib/wasm32-wasi/libc.a ] &&
        [ -f /usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a ]
}

# Sets WASM_CC and WASM_CFLAGS_SYSROOT.
find_wasm_toolchain() {
    local sdk="${WASI_SDK_PATH:-/opt/wasi-sdk}"
    if [ -x "$sdk/bin/clang" ]; then
        WASM_CC="$sdk/bin/clang"
        WASM_SYSROOT=(--sysroot="$sdk/share/wasi-sysroot")
        return
    fi
    if ! debian_toolchain_ok; then
        if is_root_debian; then
            apt_install $TOOLCHAIN_PACKAGES
        else
            die "no wasm toolchain. Install wasi-sdk and set WASI_SDK_PATH, or on Debian/Ubuntu run:
  sudo apt-get install $TOOLCHAIN_PACKAGES"
        fi
    fi
    debian_toolchain_ok || die "toolchain still incomplete; install: $TOOLCHAIN_PACKAGES"
    WASM_CC=clang-19
    WASM_SYSROOT=()
}

# Native builds (tests, fuzzers) need clang's sanitizer runtimes.
find_native_cc() {
    if ! { command -v clang-19 >/dev/null && [ -d /usr/lib/llvm-19/lib/clang/19/lib/linux ]; }; then
        if is_root_debian; then apt_install clang-19 libclang-rt-19-dev; else
            die "native tests need clang-19 with its sanitizer runtimes: sudo apt-get install clang-19 libclang-rt-19-dev"
        fi
    fi
    NATIVE_CC=clang-19
}

# ---- cJSON -----------------------------------------------------------------
cjson_dir_ok() { # dir -> 0 when it holds a pinned cJSON.c + cJSON.h
    local dir="$1" c
    [ -f "$dir/cJSON.c" ] && [ -f "$dir/cJSON.h" ] || return 1
    [ "$(sha256_of "$dir/cJSON.h")" = "$CJSON_H_SHA256" ] || return 1
    c="$(sha256_of "$dir/cJSON.c")"
    [ "$c" = "$CJSON_C_SHA256_PATCHED" ] || [ "$c" = "$CJSON_C_SHA256_UPSTREAM" ]
}

# Upstream's release tarball (machines with internet), saved under Debian's
# name for its .orig so that the Debian step below reuses it.
cjson_upstream_tarball() { # workdir
    local work="$1"
    command -v curl >/dev/null || return 1
    curl -fsSL --connect-timeout 10 --max-time 120 -o "$work/up.tar.gz" "$CJSON_UPSTREAM_URL" 2>/dev/null || return 1
    [ "$(sha256_of "$work/up.tar.gz")" = "$CJSON_ORIG_SHA256" ] || die "cJSON upstream tarball checksum mismatch"
    mv "$work/up.tar.gz" "$work/cjson_${CJSON_VERSION}.orig.tar.gz"
}

# Debian's source package through a private apt configuration (deb-src
# twins of the machine's own Debian sources); the machine's apt setup and
# state are not touched. Extracts the patched tree into workdir/src.
cjson_debian_source() { # workdir
    local work="$1" conf="$1/apt" f
    command -v apt-get >/dev/null || return 1
    if ! command -v dpkg-source >/dev/null; then
        is_root_debian && apt_install dpkg-dev || return 1
    fi
    mkdir -p "$conf/lists/partial" "$conf/parts" "$conf/cache/archives/partial"
    : >"$conf/sources.list"
    if [ -f /etc/apt/sources.list ]; then
        sed -n 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list >"$conf/sources.list"
    fi
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && sed 's/^Types:.*$/Types: deb-src/' "$f" >"$conf/parts/$(basename "$f")"
    done
    local opts=(-o Dir::Etc::SourceList="$conf/sources.list" -o Dir::Etc::SourceParts="$conf/parts"
        -o Dir::State::Lists="$conf/lists" -o Dir::Cache="$conf/cache" -o Debug::NoLocking=1
        -o APT::Sandbox::User=root)
    apt-get "${opts[@]}" update -qq >/dev/null 2>&1 || true # one unreachable source need not stop us
    (cd "$work" && apt-get "${opts[@]}" source --download-only "cjson=$CJSON_DEB_VERSION" >/dev/null 2>&1) || return 1
    [ "$(sha256_of "$work/cjson_${CJSON_VERSION}.orig.tar.gz")" = "$CJSON_ORIG_SHA256" ] || die "cJSON orig tarball checksum mismatch"
    [ "$(sha256_of "$work/cjson_${CJSON_DEB_VERSION}.debian.tar.xz")" = "$CJSON_DEBIAN_SHA256" ] || die "cJSON Debian patches checksum mismatch"
    (cd "$work" && dpkg-source --no-check -x "cjson_${CJSON_DEB_VERSION}.dsc" src >/dev/null 2>&1) || return 1
}

# Sets CJSON_DIR to a verified directory.
fetch_cjson() {
    local cached="$CACHE/cjson-$CJSON_DEB_VERSION"
    if [ -n "${CJSON_SRC:-}" ]; then
        cjson_dir_ok "$CJSON_SRC" || die "CJSON_SRC=$CJSON_SRC does not hold cJSON $CJSON_VERSION with the pinned checksums"
        CJSON_DIR="$CJSON_SRC"
        return
    fi
    if cjson_dir_ok "$cached"; then
        CJSON_DIR="$cached"
        return
    fi
    local work have_upstream=0
    work="$(mktemp -d)"
    TEMP_DIRS+=("$work")
    # Sources in order: upstream's tarball, then Debian's source package, which
    # adds Debian's security patches (and supplies the tarball when upstream
    # is out of reach). Upstream alone builds, with a warning.
    cjson_upstream_tarball "$work" && have_upstream=1
    if ! cjson_debian_source "$work"; then
        [ "$have_upstream" = 1 ] || die "could not obtain cJSON $CJSON_VERSION: neither the upstream tarball nor Debian's source package was reachable.
  Set CJSON_SRC to a directory with cJSON.c and cJSON.h of cJSON $CJSON_VERSION."
        say "warning: Debian's source package is out of reach; using upstream cJSON $CJSON_VERSION without Debian's security patches"
        mkdir -p "$work/src" && tar -C "$work/src" --strip-components=1 -xzf "$work/cjson_${CJSON_VERSION}.orig.tar.gz"
    fi
    cjson_dir_ok "$work/src" || die "fetched cJSON does not match the pinned checksums"
    mkdir -p "$cached"
    cp "$work/src/cJSON.c" "$work/src/cJSON.h" "$work/src/LICENSE" "$cached/"
    cjson_dir_ok "$cached" || die "cJSON cache at $cached failed verification"
    CJSON_DIR="$cached"
    say "cJSON $CJSON_VERSION verified and cached in $CJSON_DIR"
}

# ---- flags -----------------------------------------------------------------
WARN=(-std=c11 -Wall -Wextra -Werror -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual -Wpointer-arith -Wformat=2
    -Wvla -Wundef -Wimplicit-fallthrough -Wdouble-promotion)
DEFS=(-DCJSON_NESTING_LIMIT=$CJSON_NESTING_LIMIT)
cjson_flags() { CJSON_FLAGS=(-std=c11 -w -include "$ROOT/include/cjson_port.h" "${DEFS[@]}" -I"$CJSON_DIR"); }

# Compile src/*.c and cJSON into one reactor module. $1: output, rest: extra flags.
link_wasm() {
    local out="$1" objdir="$BUILD/wasm/$(basename "${1%.wasm}")" objs=() src obj
    shift
    mkdir -p "$objdir"
    local target=(--target=wasm32-wasi "${WASM_SYSROOT[@]}" -Oz -ffunction-sections -fdata-sections)
    for src in "$ROOT"/src/*.c; do
        obj="$objdir/$(basename "${src%.c}").o"
        "$WASM_CC" "${target[@]}" "${WARN[@]}" "${DEFS[@]}" "$@" -I"$ROOT/include" -I"$CJSON_DIR" -c "$src" -o "$obj"
        objs+=("$obj")
    done
    "$WASM_CC" "${target[@]}" "${CJSON_FLAGS[@]}" -c "$CJSON_DIR/cJSON.c" -o "$objdir/cJSON.o"
    objs+=("$objdir/cJSON.o")
    "$WASM_CC" "${target[@]}" -mexec-model=reactor -o "$out" "${objs[@]}" \
        -Wl,--strip-all -Wl,--gc-sections -Wl,--stack-first -Wl,-z,stack-size=65536 \
        -Wl,--max-memory=$((VC_MAX_MEMORY_PAGES * 65536))
}

build_wasm() {
    find_wasm_toolchain
    fetch_cjson
    cjson_flags
    link_wasm "$BUILD/vc.wasm"
    # The same code plus routes that trap on purpose (src/test_hooks.c), for the
    # tests of the shim's recovery. Never deployed: wrangler bundles vc.wasm.
    link_wasm "$BUILD/vc-test.wasm" -DVC_TEST_HOOKS
    local size
    size="$(stat -c %s "$BUILD/vc.wasm")"
    if command -v wasm-opt >/dev/null; then say "build/vc.wasm: $size bytes (linked, then wasm-opt -Oz)"; else
        say "build/vc.wasm: $size bytes (no wasm-opt on PATH: not post-optimized; install binaryen)"; fi
    # The module should stay at or under 48 KB; past 64 KB the build fails, so
    # size never creeps up unnoticed.
    [ "$size" -le "$VC_WASM_SIZE_LIMIT" ] || die "build/vc.wasm is $size bytes, over the $VC_WASM_SIZE_LIMIT-byte limit"
}

# ---- native tests ----------------------------------------------------------
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1)

build_native_objects() { # outdir extra-flags... -> NATIVE_OBJS
    local out="$1" src obj
    shift
    mkdir -p "$out"
    NATIVE_OBJS=()
    for src in "$ROOT"/src/*.c; do
        obj="$out/$(basename "${src%.c}").o"
        "$NATIVE_CC" "$@" "${WARN[@]}" "${DEFS[@]}" -I"$ROOT/include" -I"$CJSON_DIR" -c "$src" -o "$obj"
        NATIVE_OBJS+=("$obj")
    done
    "$NATIVE_CC" "$@" "${CJSON_FLAGS[@]}" -c "$CJSON_DIR/cJSON.c" -o "$out/cJSON.o"
    NATIVE_OBJS+=("$out/cJSON.o")
}

SUPPORT=("$ROOT/test/native/fake_host.c" "$ROOT/test/native/check.c")
TEST_INCLUDES=(-I"$ROOT/include" -I"$ROOT/test/native")
FUZZ_TARGETS=(request upstream response)

run_sanitized() {
    [ -x /usr/lib/llvm-19/bin/llvm-symbolizer ] && export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-19/bin/llvm-symbolizer
    ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$@"
}

# The C tests, and each fuzz target's seed corpus and crash regressions
# replayed without libFuzzer, all under ASan + UBSan.
run_native_tests() {
    find_native_cc
    fetch_cjson
    cjson_flags
    local out="$BUILD/native" t bin failed=0
    build_native_objects "$out/obj" "${SAN[@]}"
    local link=("${SAN[@]}" "${WARN[@]}" "${DEFS[@]}" -Wno-missing-prototypes "${TEST_INCLUDES[@]}" -I"$CJSON_DIR")
    for t in "$ROOT"/test/native/test_*.c; do
        bin="$out/$(basename "${t%.c}")"
        "$NATIVE_CC" "${link[@]}" "$t" "${SUPPORT[@]}" "${NATIVE_OBJS[@]}" -lm -o "$bin"
        run_sanitized "$bin" || failed=1
    done
    for t in "${FUZZ_TARGETS[@]}"; do
        bin="$out/replay_$t"
        "$NATIVE_CC" "${link[@]}" "$ROOT/test/fuzz/fuzz_$t.c" "$ROOT/test/fuzz/replay.c" "${SUPPORT[@]}" \
            "${NATIVE_OBJS[@]}" -lm -o "$bin"
        run_sanitized "$bin" "fuzz-$t-replay" "$ROOT/test/fuzz/corpus/$t" "$ROOT/test/fuzz/regressions/$t" || failed=1
    done
    return $failed
}

# libFuzzer: each target for FUZZ_SECONDS (default 60 in CI, 10 elsewhere), from the seed corpus,
# with the JSON dictionary. A crash stops the run; its input lands in
# build/fuzz/crashes/ and belongs in test/fuzz/regressions/<target>/.
run_fuzzers() {
    find_native_cc
    fetch_cjson
    cjson_flags
    local default_seconds=10
    [ -n "${CI:-}" ] && default_seconds=60
    local seconds="${1:-${FUZZ_SECONDS:-$default_seconds}}" out="$BUILD/fuzz" t bin failed=0
    local fuzz_flags=(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1)
    build_native_objects "$out/obj" "${fuzz_flags[@]}"
    mkdir -p "$out/crashes"
    for t in "${FUZZ_TARGETS[@]}"; do
        bin="$out/fuzz_$t"
        "$NATIVE_CC" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -g -O1 "${WARN[@]}" "${DEFS[@]}" \
            -Wno-missing-prototypes "${TEST_INCLUDES[@]}" -I"$CJSON_DIR" "$ROOT/test/fuzz/fuzz_$t.c" "${SUPPORT[@]}" \
            "${NATIVE_OBJS[@]}" -lm -o "$bin"
        rm -rf "$out/corpus-$t" && mkdir -p "$out/corpus-$t"
        cp "$ROOT"/test/fuzz/corpus/"$t"/* "$out/corpus-$t/"
        if run_sanitized "$bin" -max_total_time="$seconds" -dict="$ROOT/test/fuzz/json.dict" -max_len=4096 \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/crashes/$t-" \
            "$out/corpus-$t" >"$out/$t.log" 2>&1; then
            say "fuzz_$t: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$out/$t.log" | grep -o '[0-9]*$') executions in ${seconds}s, no crash"
        else
            say "fuzz_$t: CRASH (see $out/$t.log and $out/crashes/)"
            tail -40 "$out/$t.log" >&2
            failed=1
        fi
    done
    return $failed
}

case "${1:-wasm}" in
wasm) build_wasm ;;
native) run_native_tests ;;
fuzz) run_fuzzers "${2:-}" ;;
deps) fetch_cjson && echo "$CJSON_DIR" ;;
*) die "unknown target '$1' (wasm, native, deps)" ;;
esac
