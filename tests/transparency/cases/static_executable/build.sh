# shellcheck shell=bash
# A -static link (no shared objects at all).
$CXX $CXXFLAGS -c "$SRC/main.cpp" -o "$OUT/main.o"
$CXX "$OUT/main.o" $LDFLAGS -static -pthread -o "$OUT/prog"
