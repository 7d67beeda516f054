// Keeping the learner's work (see keep.hpp).
#include "app/keep.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app_internal.hpp"

namespace bplab::app {

namespace {

constexpr const char* kDigitsFile = "my-digits.txt";
constexpr const char* kModelFile = "model.json";

bool read_text(const std::string& path, std::string* text) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream s;
  s << f.rdbuf();
  *text = s.str();
  return true;
}

// Writes through a temporary file and a rename, so that a crash never leaves half a file.
bool write_text(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f || !(f << text) || !f.flush()) return false;
  }
  std::error_code e;
  std::filesystem::rename(tmp, path, e);
  return !e;
}

}  // namespace

std::string default_data_dir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/backprop-lab";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.local/share/backprop-lab";
  return "";
}

std::string open_text(Lab& lab, std::string_view text, const std::string& name) {
  size_t start = 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\n' || text[start] == '\r' || text[start] == '\t'))
    ++start;
  const std::string_view body = text.substr(start);
  if (body.rfind("bplab-digits", 0) == 0) {
    int added = 0;
    if (std::string e = lab.import_examples(text, &added); !e.empty()) return name + ": " + e;
    lab.note("opened " + name + ": " + std::to_string(added) + " digits added to My digits");
    return "";
  }
  if (body.rfind("{", 0) == 0) {
    if (std::string e = lab.load_model(text, "Open " + name); !e.empty()) return name + ": " + e;
    lab.rename_model("opened from " + name.substr(0, 60));
    lab.note("opened the model " + name);
    return "";
  }
  return name + ": not a digits file (\"bplab-digits 1\") or a model (network2 JSON)";
}

std::string open_path(Lab& lab, const std::string& path) {
  std::error_code e;
  const auto size = std::filesystem::file_size(path, e);
  if (e) return "cannot open " + path + ": " + e.message();
  if (size > (400u << 20)) return path + " is too large to be a digits file or a model";
  std::string text;
  if (!read_text(path, &text)) return "cannot read " + path;
  return open_text(lab, text, std::filesystem::path(path).filename().string());
}

void restore_kept(App& app) {
  const std::string& dir = app.options.data_dir;
  if (dir.empty()) return;
  Lab& lab = app.lab;
  std::string text;
  if (read_text(dir + "/" + kModelFile, &text)) {
    if (std::string e = lab.load_model(text, ""); !e.empty()) lab.note("the kept model was not restored: " + e);
    else lab.rename_model("restored from " + dir);
  }
  if (read_text(dir + "/" + kDigitsFile, &text)) {
    if (std::string e = lab.import_examples(text); !e.empty()) lab.note("My digits were not restored: " + e);
  }
  app.kept.examples = lab.examples_serial();
  app.kept.model = lab.model_key();
}

void save_kept(App& app) {
  const std::string& dir = app.options.data_dir;
  Lab& lab = app.lab;
  if (dir.empty() || app.kept.failed) return;
  const double now = now_ms();
  if (now - app.kept.last_ms < 1000) return;
  app.kept.last_ms = now;
  const bool digits = lab.examples_serial() != app.kept.examples;
  const uint64_t key = lab.running() ? app.kept.model : lab.model_key();
  if (!digits && key == app.kept.model) return;
  std::error_code e;
  std::filesystem::create_directories(dir, e);
  bool ok = !e;
  if (ok && digits) ok = write_text(dir + "/" + kDigitsFile, lab.export_examples());
  if (ok && key != app.kept.model) ok = write_text(dir + "/" + kModelFile, lab.export_model());
  if (!ok) {
    app.kept.failed = true;  // said once; the app goes on in memory
    lab.note("cannot write to " + dir + ": My digits and the model are kept in memory only");
    return;
  }
  app.kept.examples = lab.examples_serial();
  app.kept.model = key;
}

}  // namespace bplab::app
