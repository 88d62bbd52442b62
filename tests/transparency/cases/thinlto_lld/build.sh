# shellcheck shell=bash
# ThinLTO linked by lld, on the sources of the lto_build case.
S="$SRC/../lto_build"
$CXX $CXXFLAGS -flto=thin -c "$S/a.cpp" -o "$OUT/a.o"
$CXX $CXXFLAGS -flto=thin -c "$S/b.cpp" -o "$OUT/b.o"
$CXX "$OUT/a.o" "$OUT/b.o" $LDFLAGS -flto=thin -fuse-ld=lld -o "$OUT/prog"
