# The page reads the screens' table too: web/embed.js as the web build writes it
# (cmake/screens_js.cmake) names every row of src/app/screens.cpp with its poster, and a new
# row added to the table reaches it with nothing else changed. Run by ctest (screens_js):
#
#   cmake -DREPO=<repo> -DOUT=<dir> [-DNODE=<node>] -P tests/app/screens_js_test.cmake
file(READ ${REPO}/src/app/screens.cpp _cpp)
string(REPLACE "      // screens end"
  "      {\"quiz\", \"Quiz\", quiz_panel, nullptr, nullptr, \"A quiz\", \"which digit is it?\", \"square\"},\n      // screens end"
  _cpp "${_cpp}")
file(WRITE ${OUT}/screens.cpp "${_cpp}")
set(SCREENS_CPP ${OUT}/screens.cpp)
set(EMBED_JS_IN ${REPO}/web/embed.js)
set(EMBED_JS_OUT ${OUT}/embed.js)
include(${REPO}/cmake/screens_js.cmake)
file(READ ${OUT}/embed.js _js)
foreach(_want
    "draw: { title: 'Draw a digit', subtitle: 'the net reads it as 28×28 pixels', shapes: 'square bars' },"
    "derivation: { title: 'Backpropagation, step by step',"
    "quiz: { title: 'A quiz', subtitle: 'which digit is it?', shapes: 'square' },")
  string(FIND "${_js}" "${_want}" _at)
  if(_at LESS 0)
    message(FATAL_ERROR "${OUT}/embed.js lacks: ${_want}")
  endif()
endforeach()
if(NODE)
  execute_process(COMMAND ${NODE} --check ${OUT}/embed.js RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "${OUT}/embed.js is not valid JavaScript")
  endif()
endif()
message(STATUS "embed.js has every screen of the table and a new one")
