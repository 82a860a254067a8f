#!/bin/sh
# Rebuild the benchmark objects: programs/bench/*.c -> programs/bench/*.o (used by `xdplab bench`).
set -eu
cd "$(dirname "$0")"
for src in *.c; do
	obj="${src%.c}.o"
	echo "clang $src -> $obj"
	clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -c "$src" -o "$obj"
done
