# simdjson-style check: the compiled library must not reference anything that prints, ends the
# process or reads the environment. nm lists each object's undefined symbols; the forbidden ones
# are matched exactly (mangled for the C++ streams).
set(forbidden abort exit _exit _Exit quick_exit getenv secure_getenv printf fprintf vprintf
    vfprintf puts fputs putchar perror __assert_fail _ZSt4cout _ZSt4cerr _ZSt4clog
    _ZSt5wcout _ZSt5wcerr)
execute_process(COMMAND ${NM} -A --undefined-only ${LIBRARY}
  OUTPUT_VARIABLE listing ERROR_VARIABLE errors RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIBRARY}: ${errors}")
endif()
string(REPLACE "\n" ";" lines "${listing}")
set(found)
set(checked 0)
foreach(line IN LISTS lines)
  # "libyosmodel.a:aggregate.cpp.o:                 U memcpy" (versioned names: "abort@GLIBC")
  if(line MATCHES "^[^:]+:([^:]+):[ \t]+U ([^@ \t]+)")
    math(EXPR checked "${checked} + 1")
    if(CMAKE_MATCH_2 IN_LIST forbidden)
      list(APPEND found "${CMAKE_MATCH_1} references ${CMAKE_MATCH_2}")
    endif()
  endif()
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "nm listed no undefined symbols in ${LIBRARY}; the check would prove nothing")
endif()
if(found)
  list(JOIN found "\n  " text)
  message(FATAL_ERROR "the library must never print, exit, abort or read the environment:\n  ${text}")
endif()
message(STATUS "${checked} undefined symbol references checked; none is forbidden")
