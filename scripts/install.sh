#!/usr/bin/env bash
# Builds LossCore and installs it for C and C++ under PREFIX (default /usr/local):
#   PREFIX/include/losscore.h
#   PREFIX/include/losscore.cdef      the declarations without the preprocessor, for FFIs
#   PREFIX/lib/liblosscore.so.X.Y.Z       SONAME liblosscore.so.X; and the links
#   PREFIX/lib/liblosscore.so.X -> liblosscore.so.X.Y.Z, liblosscore.so -> liblosscore.so.X
#   PREFIX/lib/liblosscore.a              static; only losscore_* global (scripts/build_static.sh)
#   PREFIX/lib/pkgconfig/losscore.pc, losscore-static.pc
#   PREFIX/lib/cmake/LossCore/LossCoreConfig.cmake, LossCoreConfigVersion.cmake
#   PREFIX/share/doc/losscore/LICENSE
#   PREFIX/share/losscore/install-manifest.txt   what this script created, for --uninstall
# X.Y.Z are the LOSSCORE_VERSION_* macros of include/losscore.h. Both libraries are stripped
# of debug info. They run on any x86-64 CPU, each call on the kernels compiled for the CPU
# it runs on (scripts/build.sh); LOSSCORE_NATIVE=1 installs a build for this machine's CPU
# class only.
#   PREFIX=/some/prefix scripts/install.sh                 build (about two minutes) and install
#   PREFIX=/some/prefix scripts/install.sh --uninstall     remove exactly what was installed
# Installing over an earlier installation first uninstalls it (by its manifest).
set -euo pipefail
prefix=${PREFIX:-/usr/local}
case "$prefix" in /*) ;; *) prefix=$PWD/$prefix ;; esac  # relative to where it is run
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

mode=install
case "${1:-}" in
"") ;;
--uninstall) mode=uninstall ;;
*)
    echo "usage: PREFIX=/some/prefix scripts/install.sh [--uninstall]" >&2
    exit 2
    ;;
esac
manifest_name=share/losscore/install-manifest.txt
manifest=$prefix/$manifest_name

# Removes what the manifest lists (paths relative to PREFIX): files and links, then the
# directories the installation created, deepest first, each only if it is empty.
uninstall() {
    local kind path dirs=()
    while read -r kind path; do
        case "$kind" in
        file | link) rm -f "$prefix/$path" ;;
        dir) dirs=("$path" "${dirs[@]}") ;;
        esac
    done <"$manifest"
    rm -f "$manifest"
    for path in "${dirs[@]}"; do
        rmdir "$prefix/$path" 2>/dev/null || true
    done
}

if [ "$mode" = uninstall ]; then
    [ -f "$manifest" ] || { echo "install: no LossCore installation in $prefix ($manifest_name missing)" >&2; exit 1; }
    uninstall
    echo "uninstalled LossCore from $prefix"
    exit 0
fi

header=include/losscore.h
version_part() { awk -v name="LOSSCORE_VERSION_$1" '$1 == "#define" && $2 == name {print $3}' "$header"; }
major=$(version_part MAJOR) minor=$(version_part MINOR) patch=$(version_part PATCH)
version=$major.$minor.$patch
# What the static library needs beside itself (the Swift runtime's C++ and system libraries).
private_libs="-lstdc++ -lm -ldl -lpthread"

# The build folder of the other scripts: the default build is not built twice; one that keeps
# fewer kernel sets gets a folder of its own.
scratch=.build
[ "${LOSSCORE_NATIVE:-0}" != 1 ] || scratch=.build/native
[ "${LOSSCORE_PORTABLE:-0}" != 1 ] || scratch=.build/portable
scripts/build.sh --scratch-path "$scratch"
scripts/build_static.sh --scratch-path "$scratch"
bin=$scratch/release
scripts/check_library.sh "$bin/liblosscore.so" "$bin/liblosscore.a"

[ ! -f "$manifest" ] || { echo "install: replacing the installation in $prefix"; uninstall; }
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
manifest=$prefix/$manifest_name
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
entries=()

# Creates the directories of a relative path that do not exist yet, recording them.
make_dir() {
    local dir=$1 missing=()
    while [ "$dir" != . ] && [ ! -d "$prefix/$dir" ]; do
        missing=("$dir" "${missing[@]}")
        dir=$(dirname "$dir")
    done
    for dir in "${missing[@]}"; do
        mkdir "$prefix/$dir"
        entries+=("dir $dir")
    done
}
put() { # source, destination relative to PREFIX, mode
    make_dir "$(dirname "$2")"
    install -m "$3" "$1" "$prefix/$2"
    entries+=("file $2")
}
link() { # target, link name relative to PREFIX
    ln -sfn "$1" "$prefix/$2"
    entries+=("link $2")
}
fill() { # template -> staged file with the values substituted
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" -e "s|@MAJOR@|$major|g" \
        -e "s|@PRIVATE_LIBS@|$private_libs|g" \
        -e "s|@CMAKE_PRIVATE_LIBS@|$(echo "$private_libs" | sed -e 's/-l//g' -e 's/ /;/g')|g" \
        "scripts/package/$1.in" >"$stage/$1"
}

cp "$bin/liblosscore.so" "$stage/liblosscore.so"
strip --strip-unneeded "$stage/liblosscore.so"
put "$header" include/losscore.h 644
put include/losscore.cdef include/losscore.cdef 644
put "$stage/liblosscore.so" "lib/liblosscore.so.$version" 755
link "liblosscore.so.$version" "lib/liblosscore.so.$major"
link "liblosscore.so.$major" lib/liblosscore.so
put "$bin/liblosscore.a" lib/liblosscore.a 644
for template in losscore.pc losscore-static.pc; do
    fill "$template"
    put "$stage/$template" "lib/pkgconfig/$template" 644
done
for template in LossCoreConfig.cmake LossCoreConfigVersion.cmake; do
    fill "$template"
    put "$stage/$template" "lib/cmake/LossCore/$template" 644
done
put LICENSE share/doc/losscore/LICENSE 644
make_dir "$(dirname "$manifest_name")"
entries+=("file $manifest_name")
printf '%s\n' "${entries[@]}" >"$manifest"
echo "installed LossCore $version in $prefix ($(grep -c '^file\|^link' "$manifest") files and links; manifest: $manifest)"
# A prefix whose lib/ the loader searches by its cache (/usr/local/lib on Debian) needs the
# cache refreshed before programs find liblosscore.so.MAJOR; other prefixes are found by the
# rpath a program records (the examples show it) or LD_LIBRARY_PATH.
case "$prefix/lib" in
/usr/local/lib | /usr/lib | /usr/lib64 | /usr/local/lib64)
    if [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then
        ldconfig
    else
        echo "install: run ldconfig as root, so that the loader finds liblosscore.so.$major in $prefix/lib"
    fi
    ;;
esac
