# Writes web/backprop-lab-api.js with the page's commands taken from the rows of
# src/app/lab.cpp's table (Lab::commands(), between its "commands begin" and "commands end"
# lines): each row's name, access and arguments, where the script says
# /* commands from lab.cpp */. The page's methods (window.backpropLab) and embed.js's
# postMessage allow-list are made from them. Included by src/platform/CMakeLists.txt for the web
# build and by tests/app/CMakeLists.txt for the test of the page's copy, or run as
#
#   cmake -DLAB_CPP=... -DAPI_JS_IN=... -DAPI_JS_OUT=... -P cmake/commands_js.cmake
file(READ ${LAB_CPP} _lab_cpp)
string(REGEX MATCH "// commands begin.*// commands end" _rows "${_lab_cpp}")
# A row starts a line indented by two spaces with {"NAME", Access::WHO, "ARGS", ...
string(REGEX MATCHALL "\n  {\"" _starts "${_rows}")
string(REGEX MATCHALL "\n  {\"[A-Za-z]+\", Access::(Embed|Api|Page), \"[^\"\\\n]*\"" _heads "${_rows}")
list(LENGTH _starts _n_starts)
list(LENGTH _heads _n_heads)
if(_n_heads EQUAL 0 OR NOT _n_heads EQUAL _n_starts)
  message(FATAL_ERROR "${LAB_CPP}: ${_n_starts} rows of the commands' table, ${_n_heads} of them readable "
                      "(a row's first line is {\"NAME\", Access::Embed|Api|Page, \"ARGS\", ...)")
endif()
set(_commands_js "")
foreach(_head ${_heads})
  string(REGEX MATCH "{\"([A-Za-z]+)\", Access::([A-Za-z]+), \"([^\"]*)\"" _m "${_head}")
  string(TOLOWER "${CMAKE_MATCH_2}" _access)
  string(APPEND _commands_js "\n    ${CMAKE_MATCH_1}: { access: '${_access}', args: '${CMAKE_MATCH_3}' },")
endforeach()
include(${CMAKE_CURRENT_LIST_DIR}/fill_js.cmake)
bplab_fill_js(${API_JS_IN} ${API_JS_OUT} "/* commands from lab.cpp */" "${_commands_js}")
