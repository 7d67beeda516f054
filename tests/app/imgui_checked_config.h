// Dear ImGui configuration for the headless derivation tests: a failed IM_ASSERT throws, so a
// test fails loudly instead of aborting (or passing silently in a Release build, where assert()
// is compiled out). Used through IMGUI_USER_CONFIG by the derivation_tests target only.
#pragma once

#include <stdexcept>
#include <string>

#define IM_ASSERT(_EXPR)                                                                        \
  do {                                                                                          \
    if (!(_EXPR)) throw std::logic_error(std::string("ImGui assertion failed: ") + #_EXPR +     \
                                         " at " + __FILE__ + ":" + std::to_string(__LINE__)); \
  } while (0)
