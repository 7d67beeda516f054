# Writes web/embed.js with the screens' names and posters taken from the rows of
# src/app/screens.cpp's table (between its "screens begin" and "screens end" lines), where
# embed.js says /* screens from screens.cpp */. Included by src/platform/CMakeLists.txt for the
# web build, and run by a test (tests/app/CMakeLists.txt) as
#
#   cmake -DSCREENS_CPP=... -DEMBED_JS_IN=... -DEMBED_JS_OUT=... -P cmake/screens_js.cmake
file(READ ${SCREENS_CPP} _screens_cpp)
string(REGEX MATCH "// screens begin.*// screens end" _screens_rows "${_screens_cpp}")
string(REGEX MATCHALL "{\"[^\n]*}," _screens_rows "${_screens_rows}")
set(_screens_js "")
foreach(_row ${_screens_rows})
  if(NOT _row MATCHES "^{\"([a-z0-9-]+)\", \"[^\"]*\", [A-Za-z_:]+, [A-Za-z_:]+, [A-Za-z_:]+, \"([^\"'\\]*)\", \"([^\"'\\]*)\", \"([a-z -]*)\"},$")
    message(FATAL_ERROR "${SCREENS_CPP}: a row of the screens' table that the web build cannot read: ${_row}")
  endif()
  string(APPEND _screens_js "\n    ${CMAKE_MATCH_1}: { title: '${CMAKE_MATCH_2}', subtitle: '${CMAKE_MATCH_3}', shapes: '${CMAKE_MATCH_4}' },")
endforeach()
if(_screens_js STREQUAL "")
  message(FATAL_ERROR "${SCREENS_CPP}: no rows found between the screens' marker lines")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/fill_js.cmake)
bplab_fill_js(${EMBED_JS_IN} ${EMBED_JS_OUT} "/* screens from screens.cpp */" "${_screens_js}")
