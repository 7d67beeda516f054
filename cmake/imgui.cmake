# Dear ImGui and SDL2 for the app, native and under Emscripten. Included by the top-level
# CMakeLists.txt when BPLAB_BUILD_APP is ON. Defines:
#
#   imgui_core   Dear ImGui's core (imgui.h): no SDL, no GL. For src/app.
#   imgui_checked  imgui_core whose failed checks throw (tests/app/imgui_checked.cpp), for every
#                test that draws UI: an ImGui error (an unbalanced PushID, ...) fails the test
#                instead of passing silently in a Release build, where assert() is compiled out.
#   imgui        imgui_core + the SDL2 platform backend + the OpenGL3 renderer backend
#                (imgui_impl_sdl2.h, imgui_impl_opengl3.h). For src/platform only.
#   bplab_sdl2   SDL2: natively Debian's (find_package), under Emscripten the static build in
#                BPLAB_SDL2_PREFIX (scripts/deps.sh sdl2-web; build-wasm.sh passes it).
#   bplab_gl     OpenGL natively; nothing under Emscripten, where WebGL comes with the link.
#
# Dear ImGui's sources come from Debian's source package, unpacked by scripts/deps.sh into
# BPLAB_IMGUI_DIR. When that is not given, configuring fetches them into <build>/deps-cache.

set(BPLAB_IMGUI_DIR "" CACHE PATH "Dear ImGui's unpacked sources (scripts/deps.sh imgui prints it)")
if(NOT BPLAB_IMGUI_DIR)
  message(STATUS "Fetching Dear ImGui's sources with scripts/deps.sh")
  execute_process(
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/../scripts/deps.sh
            --cache ${CMAKE_BINARY_DIR}/deps-cache imgui
    OUTPUT_VARIABLE _bplab_imgui_dir OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE _bplab_deps_result)
  if(NOT _bplab_deps_result EQUAL 0)
    message(FATAL_ERROR "scripts/deps.sh imgui failed; pass -DBPLAB_IMGUI_DIR=<unpacked imgui>")
  endif()
  set(BPLAB_IMGUI_DIR ${_bplab_imgui_dir} CACHE PATH
      "Dear ImGui's unpacked sources (scripts/deps.sh imgui prints it)" FORCE)
endif()
if(NOT EXISTS ${BPLAB_IMGUI_DIR}/imgui.cpp OR NOT EXISTS ${BPLAB_IMGUI_DIR}/backends/imgui_impl_sdl2.cpp)
  message(FATAL_ERROR "BPLAB_IMGUI_DIR=${BPLAB_IMGUI_DIR} holds no Dear ImGui sources")
endif()

# [SECTION] SDL2 and OpenGL
add_library(bplab_sdl2 INTERFACE)
add_library(bplab_gl INTERFACE)
if(EMSCRIPTEN)
  set(BPLAB_SDL2_PREFIX "" CACHE PATH "SDL2 built for Emscripten (scripts/deps.sh sdl2-web prints it)")
  if(NOT EXISTS ${BPLAB_SDL2_PREFIX}/lib/libSDL2.a)
    message(FATAL_ERROR "BPLAB_SDL2_PREFIX='${BPLAB_SDL2_PREFIX}' has no lib/libSDL2.a: "
                        "run ./build-wasm.sh, or scripts/deps.sh sdl2-web and pass its output")
  endif()
  # include/SDL2 as Dear ImGui's backend writes #include <SDL.h>. Emscripten's sysroot has SDL 1
  # headers in include/SDL; ours come first.
  target_include_directories(bplab_sdl2 SYSTEM INTERFACE ${BPLAB_SDL2_PREFIX}/include/SDL2)
  target_link_libraries(bplab_sdl2 INTERFACE ${BPLAB_SDL2_PREFIX}/lib/libSDL2.a)
else()
  find_package(SDL2 REQUIRED)
  find_package(OpenGL REQUIRED)
  target_link_libraries(bplab_sdl2 INTERFACE SDL2::SDL2)
  target_link_libraries(bplab_gl INTERFACE OpenGL::GL)
endif()

# [SECTION] Dear ImGui
# Every item Dear ImGui adds is reported to the app's accessibility mirror through its "test
# engine" item hooks (src/app/item_hooks.hpp): each library of Dear ImGui is compiled with this
# definition and this source.
set(BPLAB_IMGUI_HOOKS_DEFINITION IMGUI_ENABLE_TEST_ENGINE)
set(BPLAB_IMGUI_HOOKS_SOURCE ${PROJECT_SOURCE_DIR}/src/app/item_hooks.cpp)
# imgui_demo.cpp (ImGui::ShowDemoWindow) is not built: nothing of ours shows it.
set(_bplab_imgui_core_sources
  ${BPLAB_IMGUI_DIR}/imgui.cpp
  ${BPLAB_IMGUI_DIR}/imgui_draw.cpp
  ${BPLAB_IMGUI_DIR}/imgui_tables.cpp
  ${BPLAB_IMGUI_DIR}/imgui_widgets.cpp
  ${BPLAB_IMGUI_HOOKS_SOURCE}
)
add_library(imgui_core STATIC ${_bplab_imgui_core_sources})
# SYSTEM: Dear ImGui's warnings are not ours.
target_include_directories(imgui_core SYSTEM PUBLIC ${BPLAB_IMGUI_DIR})
target_include_directories(imgui_core PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_compile_definitions(imgui_core PUBLIC ${BPLAB_IMGUI_HOOKS_DEFINITION})

if(NOT EMSCRIPTEN)
  # Natively IM_ASSERT calls bplab::imgui_check_failed (src/app/imgui_check.hpp): the desktop
  # app notes a failed check and goes on, the tests make it throw. One Dear ImGui for both: the
  # tests' own variant with a throwing IM_ASSERT cost 17 core-seconds more to compile.
  target_sources(imgui_core PRIVATE ${PROJECT_SOURCE_DIR}/src/app/imgui_check.cpp)
  target_compile_definitions(imgui_core PUBLIC IMGUI_USER_CONFIG="${PROJECT_SOURCE_DIR}/src/app/imgui_check.hpp")
  bplab_sanitized_at_O0(imgui_core)
endif()
if(BPLAB_BUILD_TESTS AND NOT EMSCRIPTEN)
  # For the tests: Dear ImGui whose failed checks throw (tests/app/imgui_checked.cpp, linked into
  # each binary: its static initialiser sets the handler).
  add_library(imgui_checked_handler OBJECT ${PROJECT_SOURCE_DIR}/tests/app/imgui_checked.cpp)
  target_include_directories(imgui_checked_handler PRIVATE ${PROJECT_SOURCE_DIR}/src)
  add_library(imgui_checked INTERFACE)
  target_link_libraries(imgui_checked INTERFACE imgui_core)
  target_sources(imgui_checked INTERFACE $<TARGET_OBJECTS:imgui_checked_handler>)
endif()

add_library(imgui STATIC
  ${BPLAB_IMGUI_DIR}/backends/imgui_impl_sdl2.cpp
  ${BPLAB_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp
)
target_include_directories(imgui SYSTEM PUBLIC ${BPLAB_IMGUI_DIR}/backends)
target_link_libraries(imgui PUBLIC imgui_core bplab_sdl2)
if(EMSCRIPTEN)
  # WebGL2 with GLSL "#version 300 es"; the backend's default under Emscripten is WebGL1.
  target_compile_definitions(imgui PUBLIC IMGUI_IMPL_OPENGL_ES3)
else()
  # The OpenGL3 backend loads GL itself (imgui_impl_opengl3_loader.h, through dlopen).
  target_link_libraries(imgui PUBLIC ${CMAKE_DL_LIBS})
endif()
