// A number as a person would write it in a message: "1000", "0.1", "1e-07".
#pragma once

#include <sstream>
#include <string>

namespace bplab {

inline std::string show(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

}  // namespace bplab
