#!/bin/sh
# Rebuild the bundled example objects: programs/xdp/*.c -> programs/xdp/*.o
# Needs clang with the BPF target and the libbpf headers (Debian: clang, libbpf-dev).
set -eu
cd "$(dirname "$0")/xdp"
for src in *.c; do
	obj="${src%.c}.o"
	echo "clang $src -> $obj"
	clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -c "$src" -o "$obj"
done
