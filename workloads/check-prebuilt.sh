#!/usr/bin/env bash
# Rebuilds every workload from source into a temporary directory and checks that the committed
# ELFs in workloads/bin/ are byte-identical to the rebuilt ones. Exits 0 when they all match,
# 1 with a listing of what differs, 2 when the build itself fails.
# The builds are reproducible (see Makefile) for a given cross toolchain; a different GCC or
# binutils version can legitimately change the bytes, which this script then reports.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cross="${CROSS:-riscv64-unknown-elf-}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if ! make -C "$here" --no-print-directory BUILD="$tmp/build" CROSS="$cross" all >"$tmp/build.log" 2>&1; then
  echo "check-prebuilt: the rebuild failed:" >&2
  cat "$tmp/build.log" >&2
  exit 2
fi

status=0
built=0
for fresh in "$tmp"/build/*.elf; do
  name="$(basename "$fresh")"
  built=$((built + 1))
  committed="$here/bin/$name"
  if [[ ! -f "$committed" ]]; then
    echo "MISSING  bin/$name: built from src/ but not committed"
    status=1
  elif ! cmp -s "$committed" "$fresh"; then
    echo "DIFFERS  bin/$name ($(stat -c %s "$committed") bytes committed, $(stat -c %s "$fresh") bytes rebuilt)"
    echo "         first difference: $(cmp "$committed" "$fresh" 2>&1 | head -n 1)"
    if command -v "${cross}objdump" >/dev/null; then
      diff <("${cross}objdump" -d "$committed" | tail -n +3) <("${cross}objdump" -d "$fresh" | tail -n +3) \
        | head -n 20 | sed 's/^/         /' || true
    fi
    status=1
  fi
done
for committed in "$here"/bin/*.elf; do
  [[ -e "$committed" ]] || continue
  name="$(basename "$committed")"
  if [[ ! -f "$tmp/build/$name" ]]; then
    echo "STALE    bin/$name: no program src/${name%.elf}/ builds it"
    status=1
  fi
done

if [[ $status -eq 0 ]]; then
  echo "check-prebuilt: all $built ELFs in workloads/bin match a rebuild from source"
else
  echo "check-prebuilt: workloads/bin is out of date; run 'make -C workloads install-bin' and commit bin/"
  echo "                (toolchain: $("${cross}gcc" --version | head -n 1))"
fi
exit $status
