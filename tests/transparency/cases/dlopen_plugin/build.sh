# shellcheck shell=bash
# dlopen: plugin/plugin.cpp -> libplugin.so next to the program, which loads
# it at run time (not linked).
$CXX $CXXFLAGS -fPIC -c "$SRC/plugin/plugin.cpp" -o "$OUT/plugin.o"
$CXX -shared "$OUT/plugin.o" $LDFLAGS -o "$OUT/libplugin.so"
$CXX $CXXFLAGS -c "$SRC/main.cpp" -o "$OUT/main.o"
$CXX "$OUT/main.o" $LDFLAGS -ldl -o "$OUT/prog"
