#include "network.hpp"

namespace bplab {

int64_t parameter_count(const std::vector<int>& sizes) {
  int64_t n = 0;
  for (size_t i = 1; i < sizes.size(); ++i) {
    if (sizes[i] < 1 || sizes[i - 1] < 1) return 0;
    const int64_t layer = int64_t(sizes[i]) * (int64_t(sizes[i - 1]) + 1);
    if (layer > kMaxParameters * 4 || n > kMaxParameters * 4) return 0;  // far past the limit
    n += layer;
  }
  return n;
}

std::string check_sizes(const std::vector<int>& sizes) {
  if (sizes.size() < 2) return "a net needs at least two layers (input and output), got " + std::to_string(sizes.size());
  if (sizes.size() > size_t(kMaxNetLayers))
    return "a net may have at most " + std::to_string(kMaxNetLayers) + " layers, got " + std::to_string(sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i)
    if (sizes[i] < 1) return "layer " + std::to_string(i + 1) + " has size " + std::to_string(sizes[i]) + "; sizes must be at least 1";
  const int64_t n = parameter_count(sizes);
  if (n == 0 || n > kMaxParameters)
    return "the net would have more than " + std::to_string(kMaxParameters) + " parameters";
  return "";
}

}  // namespace bplab
