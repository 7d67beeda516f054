// The learning slowdown screen (panel_slowdown.cpp), as other screens reach it: a link asks for
// it, and the app shows it at the end of the frame (app.cpp). Header-only, so that the derivation
// screen's own builds (tests/app/derivation.cmake) need nothing more.
#pragma once

namespace bplab::app {

inline bool slowdown_requested = false;

inline void request_slowdown() { slowdown_requested = true; }  // e.g. derivation step 6's link
inline bool take_slowdown_request() {  // whether one was made since the last call
  const bool r = slowdown_requested;
  slowdown_requested = false;
  return r;
}

}  // namespace bplab::app
