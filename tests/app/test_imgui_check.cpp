// Dear ImGui's checks in the native builds (src/app/imgui_check.hpp): the tests' handler
// (imgui_checked.cpp) makes a failed one throw, in Dear ImGui's own code and in ours; without
// it, a Release build notes it and goes on, as the desktop app does.
#include <gtest/gtest.h>
#include <imgui.h>

#include <stdexcept>
#include <string>

#include "app/imgui_check.hpp"

namespace {

TEST(ImGuiChecks, AFailedCheckInDearImGuiThrowsInTheTests) {
  ImGuiContext* context = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(200, 100);
  io.DeltaTime = 1.0f / 60;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  ImGui::NewFrame();
  // One PopID too many: checked in imgui.cpp, which the tests share with the desktop app.
  try {
    ImGui::PopID();
    ADD_FAILURE() << "no exception";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("IDStack"), std::string::npos) << e.what();
  }
  ImGui::EndFrame();
  ImGui::DestroyContext(context);
}

TEST(ImGuiChecks, OurOwnChecksThrowToo) {
  const int size = 0;
  EXPECT_THROW(IM_ASSERT(size > 0), std::logic_error);
  EXPECT_NO_THROW(IM_ASSERT(size == 0));
}

#ifdef NDEBUG
TEST(ImGuiChecks, WithoutTheTestsHandlerAReleaseBuildGoesOn) {
  const bplab::ImGuiCheckFailed tests = bplab::set_imgui_check_failed(nullptr);
  ASSERT_NE(tests, nullptr);
  EXPECT_NO_THROW(IM_ASSERT(1 + 1 == 3));
  EXPECT_NO_THROW(IM_ASSERT(1 + 1 == 3));  // the second is not shown
  bplab::set_imgui_check_failed(tests);
  EXPECT_THROW(IM_ASSERT(1 + 1 == 3), std::logic_error);
}
#endif

}  // namespace
