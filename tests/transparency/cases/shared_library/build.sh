# shellcheck shell=bash
# Shared library: lib/shapes.cpp -> libshapes.so (PIC), the program links it
# with an $ORIGIN rpath so it runs from $OUT.
$CXX $CXXFLAGS -fPIC -c "$SRC/lib/shapes.cpp" -o "$OUT/shapes.o"
$CXX -shared "$OUT/shapes.o" $LDFLAGS -Wl,-soname,libshapes.so -o "$OUT/libshapes.so"
$CXX $CXXFLAGS -c "$SRC/main.cpp" -o "$OUT/main.o"
$CXX "$OUT/main.o" -L"$OUT" -lshapes $LDFLAGS -Wl,-rpath,'$ORIGIN' -o "$OUT/prog"
