#!/bin/sh
# Rebuild the runtime examples: programs/xdp3/*.c -> programs/xdp3/*.o
# Needs clang with the BPF target and the libbpf headers (Debian: clang, libbpf-dev).
# atomics.c uses the fetch forms of the atomics, which need -mcpu=v3.
set -eu
cd "$(dirname "$0")"
for src in *.c; do
	obj="${src%.c}.o"
	extra=""
	case "$src" in atomics.c) extra="-mcpu=v3" ;; esac
	echo "clang $extra $src -> $obj"
	clang -O2 -g -target bpf $extra -I/usr/include/x86_64-linux-gnu -c "$src" -o "$obj"
done
