// The page commands' replies, as every command of the table gives them (Lab::commands()):
// {"ok": true, "value": …} or {"ok": false, "error": "what is wrong"}.
#pragma once

#include <cmath>
#include <string>
#include <utility>

#include "engine/json.hpp"

namespace bplab::app::reply {

inline json::Value ok(json::Value v = json::Value()) { return json::Object{{"ok", true}, {"value", std::move(v)}}; }
inline json::Value fail(const std::string& why) { return json::Object{{"ok", false}, {"error", why}}; }
// A measurement: null while it has not been made (negative) or is not a number.
inline json::Value maybe(double x) { return x < 0 || !std::isfinite(x) ? json::Value() : json::Value(x); }

}  // namespace bplab::app::reply
