#!/bin/sh
# Prints the x86-64 micro-architecture level this CPU supports (v4: AVX-512
# F/BW/CD/DQ/VL, v3: AVX2 and FMA, v2: SSE4.2), or "" off x86-64. The addon
# is compiled for that level (-march=x86-64-<level>) and refuses to load on
# a CPU below it (addon.ts reads build/level).
[ "$(uname -m)" = x86_64 ] || exit 0
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
has() { for f in "$@"; do echo "$flags" | grep -qw "$f" || return 1; done; }
if has avx512f avx512bw avx512cd avx512dq avx512vl avx2 fma; then echo v4
elif has avx2 fma bmi1 bmi2 movbe; then echo v3
elif has sse4_2 popcnt; then echo v2
fi
