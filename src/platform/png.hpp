// Writes an RGB image as a PNG file, with no compression library: the pixels go into stored
// (uncompressed) deflate blocks. For screenshots of a frame (bplab-app --screenshot).
#pragma once

#include <string>
#include <vector>

namespace bplab::platform {

// True when `path` was written. `rgb` holds width * height * 3 bytes, rows top first, or
// bottom first (as glReadPixels gives them) when `bottom_up`.
bool write_png(const std::string& path, int width, int height,
               const std::vector<unsigned char>& rgb, bool bottom_up);

}  // namespace bplab::platform
