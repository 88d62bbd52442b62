# vigil_program(VAR NAME): sets the cache variable VAR to the path of NAME, a
# program of scripts/programs.txt (the one table of every outside program the
# project runs; scripts/check-deps.sh proves each comes from a package that
# scripts/install-deps.sh installs). Looks in the table's folder for NAME
# first (the newest version when it is a glob), then on PATH. Configuring
# fails if NAME is not in the table or not installed, saying which package
# to install: a test never finds out at run time that a program is missing.
include_guard(GLOBAL)
set(VIGIL_PROGRAMS_TABLE ${CMAKE_CURRENT_LIST_DIR}/../scripts/programs.txt)

function(vigil_program var name)
  file(STRINGS ${VIGIL_PROGRAMS_TABLE} lines REGEX "^[^# \t]")
  set(fields "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "[ \t]+" ";" candidate "${line}")
    list(GET candidate 0 first)
    if(first STREQUAL name)
      set(fields ${candidate})
      break()
    endif()
  endforeach()
  if(NOT fields)
    message(FATAL_ERROR "vigil_program: '${name}' is not in scripts/programs.txt: add it with "
                        "the Debian package that ships it")
  endif()
  list(GET fields 1 package)
  list(LENGTH fields count)
  set(hints "")
  if(count GREATER 2)
    list(GET fields 2 folder)
    file(GLOB hints LIST_DIRECTORIES true ${folder})
    list(SORT hints COMPARE NATURAL ORDER DESCENDING)
  endif()
  find_program(${var} NAMES ${name} HINTS ${hints})
  if(NOT ${var})
    message(FATAL_ERROR "'${name}' is not installed (Debian package ${package}): run "
                        "scripts/install-deps.sh as root")
  endif()
endfunction()
