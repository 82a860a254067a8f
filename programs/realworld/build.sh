#!/bin/sh
# Rebuild programs/realworld/*.o and the error fixtures in test/fixtures/realworld/*.o.
# Needs clang with the BPF target, the libbpf headers (Debian: clang, libbpf-dev) and, for the
# programs built on vmlinux.h, bpftool and a kernel with BTF: vmlinux.h is generated into a
# temporary directory (`bpftool btf dump file /sys/kernel/btf/vmlinux format c`), not committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$tmp/vmlinux.h"
build() {
	echo "clang $1 -> ${1%.c}.o"
	clang -O2 -g -target bpf -I"$tmp" -I/usr/include/x86_64-linux-gnu -c "$1" -o "${1%.c}.o"
}
cd "$here"
for src in *.c; do build "$src"; done
cd "$here/../../test/fixtures/realworld"
for src in *.c; do build "$src"; done
