#!/bin/sh
# Compiler launcher for the HTTP end-to-end tests, whose service code needs
# Vigil hook points. CMake runs
#   http_vigil_launcher.sh VIGIL_DRIVER SPEC_FLAG <the configured compiler> ARGS...
# and this runs VIGIL_DRIVER SPEC_FLAG ARGS... instead (same flags, plugin added).
drv="$1"; spec="$2"; shift 3
exec "$drv" "$spec" "$@"
