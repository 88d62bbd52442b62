#!/bin/sh
# Compiler launcher for tests that need Vigil hook points: CMake runs
#   prot_vigil_cxx.sh VIGIL_CXX SPEC_FLAG <the configured compiler> ARGS...
# and this runs VIGIL_CXX SPEC_FLAG ARGS... instead (same flags, plugin added).
drv="$1"; spec="$2"; shift 3
exec "$drv" "$spec" "$@"
