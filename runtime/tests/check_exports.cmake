cmake_minimum_required(VERSION 3.25)
# Fails unless every dynamic symbol defined by ${LIB} is part of Vigil's
# interface: __vigil_* and vigil_* (the C ABI and C API) or vigil:: (C++).
# NM: llvm-nm (runtime/tests/CMakeLists.txt finds it through scripts/programs.txt).
execute_process(COMMAND ${NM} -D --defined-only --format=just-symbols ${LIB}
                OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${LIB}")
endif()
string(REPLACE "\n" ";" symbols "${out}")
set(bad "")
set(count 0)
foreach(sym IN LISTS symbols)
  if(sym STREQUAL "")
    continue()
  endif()
  math(EXPR count "${count} + 1")
  if(NOT sym MATCHES "^(__vigil_|vigil_|_ZN5vigil)")
    list(APPEND bad "${sym}")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "unexpected exports from ${LIB}: ${bad}")
endif()
foreach(required __vigil_finish __vigil_bypass vigil_register_image vigil_unregister_image
                 vigil_attach __vigil_rt_L2_thread_state __vigil_rt_L2_enter_general)
  if(NOT "${required}" IN_LIST symbols)
    message(FATAL_ERROR "${LIB} does not export ${required}")
  endif()
endforeach()
# Each image has its own hidden copy (libvigil_entry.a): an exported one
# would take the calls of images linked without it.
if("__vigil_enter" IN_LIST symbols)
  message(FATAL_ERROR "${LIB} exports __vigil_enter")
endif()
message(STATUS "${count} exports, all vigil")
