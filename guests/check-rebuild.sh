#!/bin/sh
# check-rebuild.sh — proves that the committed guest images are what their sources build.
#
# Copies the build inputs (Makefile, riscv/) to a fresh temporary directory, so that the check
# also proves the build does not depend on where the checkout lives, rebuilds every image there
# with the RISC-V cross compiler, and compares each file byte for byte (cmp) with images/.
#
#   exit 0  every image (and images/index.txt) is identical
#   exit 1  some file differs, is missing from images/, or is in images/ but no longer built;
#           each one is named
#   exit 2  the cross compiler is not installed, or the build itself failed
#
# Usage: guests/check-rebuild.sh            (from any directory)
#        CROSS=riscv64-unknown-elf- guests/check-rebuild.sh
set -u

here=$(cd "$(dirname "$0")" && pwd)
cross=${CROSS:-riscv64-unknown-elf-}

if ! command -v "${cross}gcc" >/dev/null 2>&1; then
    echo "check-rebuild: the RISC-V cross compiler ${cross}gcc is not installed;" >&2
    echo "check-rebuild: on Debian: apt-get install gcc-riscv64-unknown-elf (nothing was checked)" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rehype-guests-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir -p "$tmp/src"
cp -R "$here/Makefile" "$here/riscv" "$tmp/src/" || exit 2
if ! make -s -C "$tmp/src" CROSS="$cross" OUT="$tmp/images" BUILD="$tmp/build" all >"$tmp/build.log" 2>&1; then
    echo "check-rebuild: the build failed:" >&2
    cat "$tmp/build.log" >&2
    exit 2
fi

status=0
count=0
for built in $(cd "$tmp/images" && find . -type f | LC_ALL=C sort); do
    rel=${built#./}
    count=$((count + 1))
    if [ ! -f "$here/images/$rel" ]; then
        echo "check-rebuild: missing: images/$rel is built from the sources but not in images/"
        status=1
    elif ! cmp -s "$tmp/images/$rel" "$here/images/$rel"; then
        echo "check-rebuild: differs: images/$rel is not what its sources build"
        status=1
    fi
done
for committed in $(cd "$here/images" && find . -type f | LC_ALL=C sort); do
    rel=${committed#./}
    if [ ! -f "$tmp/images/$rel" ]; then
        echo "check-rebuild: stale: images/$rel is not built by any source"
        status=1
    fi
done

if [ "$status" -eq 0 ]; then
    echo "check-rebuild: $count files rebuilt in $tmp, all identical to images/"
else
    echo "check-rebuild: rebuild with 'make -C guests' and commit images/" >&2
fi
exit "$status"
