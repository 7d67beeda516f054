// Dear ImGui configuration for the tests that draw UI: a failed IM_ASSERT throws, so a test
// fails loudly instead of aborting (or passing silently in a Release build, where assert() is
// compiled out). Used through IMGUI_USER_CONFIG by cmake/imgui.cmake's imgui_checked, which
// bplab_app_checked (app_tests, derivation_tests) links.
#pragma once

// Its test-engine item hooks (IMGUI_ENABLE_TEST_ENGINE, set by cmake/imgui.cmake as for every
// build of Dear ImGui here: src/app/item_hooks.hpp) also let the tests see every labelled item
// (tests/app/imgui_test_hooks.hpp).

#include <stdexcept>
#include <string>

#define IM_ASSERT(_EXPR)                                                                        \
  do {                                                                                          \
    if (!(_EXPR)) throw std::logic_error(std::string("ImGui assertion failed: ") + #_EXPR +     \
                                         " at " + __FILE__ + ":" + std::to_string(__LINE__)); \
  } while (0)
