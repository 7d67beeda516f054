# bplab_fill_js(IN OUT MARKER TEXT): writes the script IN to OUT with the comment MARKER (e.g.
# "/* screens from screens.cpp */", written with a space either side) replaced by TEXT, touching
# OUT only when it changes. Used by screens_js.cmake and commands_js.cmake.
function(bplab_fill_js in out marker text)
  file(READ ${in} _js)
  string(FIND "${_js}" " ${marker} " _at)
  if(_at LESS 0)
    message(FATAL_ERROR "${in} has no ${marker} to fill")
  endif()
  string(REPLACE " ${marker} " "${text}\n  " _js "${_js}")
  file(WRITE ${out}.new "${_js}")
  configure_file(${out}.new ${out} COPYONLY)
endfunction()
