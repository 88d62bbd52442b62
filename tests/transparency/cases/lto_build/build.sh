# shellcheck shell=bash
# Full LTO with the default linker (ld.bfd + LLVMgold plugin).
$CXX $CXXFLAGS -flto -c "$SRC/a.cpp" -o "$OUT/a.o"
$CXX $CXXFLAGS -flto -c "$SRC/b.cpp" -o "$OUT/b.o"
$CXX "$OUT/a.o" "$OUT/b.o" $LDFLAGS -flto -o "$OUT/prog"
