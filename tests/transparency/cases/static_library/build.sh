# shellcheck shell=bash
# Static library: every object of lib/ goes into libstats.a, then the program
# links it.  Variables from run_case.sh: CC CXX CFLAGS CXXFLAGS LDFLAGS AR SRC OUT.
$CXX $CXXFLAGS -c "$SRC/lib/stats.cpp" -o "$OUT/stats.o"
$CXX $CXXFLAGS -c "$SRC/lib/histogram.cpp" -o "$OUT/histogram.o"
$CC $CFLAGS -c "$SRC/lib/checksum.c" -o "$OUT/checksum.o"
rm -f "$OUT/libstats.a"
$AR rcs "$OUT/libstats.a" "$OUT/stats.o" "$OUT/histogram.o" "$OUT/checksum.o"
$CXX $CXXFLAGS -c "$SRC/main.cpp" -o "$OUT/main.o"
$CXX "$OUT/main.o" -L"$OUT" -lstats $LDFLAGS -o "$OUT/prog"
