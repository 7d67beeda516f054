// JSON reader and writer. Index:
//   [SECTION] Value
//   [SECTION] Numbers: text <-> double, independent of the C locale
//   [SECTION] Parser
//   [SECTION] Writer
#include "json.hpp"

#include <algorithm>
#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bplab::json {

// [SECTION] Value

const Value* Value::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const Member& m : as_object())
    if (m.first == key) return &m.second;
  return nullptr;
}

void Value::set(std::string key, Value value) {
  Object& members = as_object();
  for (Member& m : members)
    if (m.first == key) {
      m.second = std::move(value);
      return;
    }
  members.emplace_back(std::move(key), std::move(value));
}

bool Value::operator==(const Value& other) const { return v_ == other.v_; }

const char* type_name(Type t) {
  switch (t) {
    case Type::Null: return "null";
    case Type::Bool: return "a boolean";
    case Type::Number: return "a number";
    case Type::String: return "a string";
    case Type::Array: return "a list";
    case Type::Object: return "an object";
  }
  return "?";
}

// [SECTION] Numbers: text <-> double, independent of the C locale
//
// std::from_chars/to_chars for floating point are exact, fast and ignore the locale, but
// Emscripten's libc++ lacks them; there we fall back to strtod/snprintf and swap the locale's
// decimal point for '.' (a program that called setlocale could otherwise read "0.5" as 0).
// Defining BPLAB_JSON_PORTABLE_NUMBERS selects the fallback natively, to test it.

namespace {

// The powers of ten that are exact doubles (10^22 is the last): one correctly rounded multiply or
// divide by one of them is exact arithmetic's result, correctly rounded (Clinger).
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

char locale_decimal_point() {
  const char* p = std::localeconv()->decimal_point;
  return p && p[0] && !p[1] ? p[0] : '.';
}

// strtod over [first, last), which holds a JSON number. Overflow gives ±inf.
double strtod_c_locale(const char* first, const char* last) {
  std::string token(first, last);
  const char point = locale_decimal_point();
  if (point != '.') std::replace(token.begin(), token.end(), '.', point);
  return std::strtod(token.c_str(), nullptr);
}

// Clinger's fast path: a number with at most 15 significant digits and a decimal exponent
// within ±22 is m · 10^e or m / 10^e with m and 10^e exact doubles, so one correctly rounded
// IEEE operation gives the correctly rounded result. That covers the numbers of model files
// (floats written with 9 digits), and it is much faster than Emscripten's strtod. False: use
// the general path.
bool fast_to_double(const char* p, const char* last, double& out) {
  const bool negative = p < last && *p == '-';
  p += negative;
  uint64_t m = 0;
  int digits = 0, exp10 = 0;
  bool point = false;
  for (; p < last; ++p) {
    if (*p == '.') {
      point = true;
      continue;
    }
    if (*p < '0' || *p > '9') break;
    if (m == 0 && *p == '0') {  // leading zeros are not significant
      exp10 -= point;
      continue;
    }
    if (++digits > 15) return false;
    m = m * 10 + uint64_t(*p - '0');
    exp10 -= point;
  }
  if (p < last) {  // the exponent (the grammar was checked: e or E, a sign, digits)
    ++p;
    const bool minus = *p == '-';
    p += *p == '-' || *p == '+';
    int e = 0;
    for (; p < last; ++p) {
      if (e > 1000) return false;
      e = e * 10 + (*p - '0');
    }
    exp10 += minus ? -e : e;
  }
  if (m == 0) exp10 = 0;
  if (exp10 < -22 || exp10 > 22) return false;
  const double v = exp10 < 0 ? double(m) / kPow10[-exp10] : double(m) * kPow10[exp10];
  out = negative ? -v : v;
  return true;
}

// Reads a number already checked against JSON's grammar. Returns false if it overflows.
bool to_double(const char* first, const char* last, double& out) {
  if (fast_to_double(first, last, out)) return true;
#if defined(__cpp_lib_to_chars) && !defined(BPLAB_JSON_PORTABLE_NUMBERS)
  const auto r = std::from_chars(first, last, out);
  if (r.ec == std::errc() && r.ptr == last) return true;
  // Out of range: an underflow reads as 0 or a subnormal (as in Python); an overflow fails.
#endif
  out = strtod_c_locale(first, last);
  return std::isfinite(out);
}

#if !defined(__cpp_lib_to_chars) || defined(BPLAB_JSON_PORTABLE_NUMBERS)
// snprintf with "%.*g", with '.' as the decimal point whatever the locale.
std::string printf_g(double x, int precision) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", precision, x);
  std::string s(buf);
  const char point = locale_decimal_point();
  if (point != '.') std::replace(s.begin(), s.end(), point, '.');
  return s;
}
#endif

#if !defined(__cpp_lib_to_chars) || defined(BPLAB_JSON_PORTABLE_NUMBERS)
// The shortest text of a float that reads back as the same float, without snprintf: a model's
// export is millions of floats, and snprintf + strtod per number made the largest net's export
// take 20 s in WebAssembly. For p = 1 … 9 significant digits: scale |x| by 10^k (k = p − 1 − the
// decimal exponent; 10^k is an exact double for |k| ≤ 22), round to an integer m, and keep m if
// m · 10^−k, read as the model loader reads it (Clinger's exact fast path, then float), is x.
// A rounding slip in the scaling can only cost a digit, never give a wrong number. False when x
// is out of the fast range (|k| > 22, i.e. |x| below about 1e-13 or above 1e22): snprintf then.
bool append_float_fast(std::string& out, float x) {
  const double v = std::abs(double(x));
  if (v == 0) {
    out += std::signbit(x) ? "-0" : "0";
    return true;
  }
  int e = int(std::floor(std::log10(v)));  // the decimal exponent, corrected below if log10 slips
  if (v < std::pow(10.0, e)) --e;
  else if (v >= std::pow(10.0, e + 1)) ++e;
  for (int p = 1; p <= 9; ++p) {
    const int k = p - 1 - e;
    if (k < -22 || k > 22) return false;
    const double m = std::nearbyint(k >= 0 ? v * kPow10[k] : v / kPow10[-k]);
    const double back = k >= 0 ? m / kPow10[k] : m * kPow10[-k];
    if (float(back) != std::abs(x)) continue;
    // m has p digits, or p + 1 when rounding carried (9.96 → 10.0): its digits, trailing zeros
    // dropped, with the exponent of its first digit.
    char digits[16];
    int n = 0;
    for (uint64_t rest = uint64_t(m); rest > 0; rest /= 10) digits[n++] = char('0' + rest % 10);
    std::reverse(digits, digits + n);
    const int point = e + (n - p);  // the power of ten of the first digit
    while (n > 1 && digits[n - 1] == '0') --n;
    if (std::signbit(x)) out += '-';
    if (point < -4 || point >= 9) {  // %g's rule at 9 digits: 1.5e-05, 3e+22
      out += digits[0];
      if (n > 1) out += '.', out.append(digits + 1, digits + n);
      char exponent[8];
      std::snprintf(exponent, sizeof exponent, "e%c%02d", point < 0 ? '-' : '+', std::abs(point));
      out += exponent;
    } else if (point < 0) {  // 0.000123
      out += "0.";
      out.append(size_t(-point - 1), '0');
      out.append(digits, digits + n);
    } else {  // 123.45, 1200
      out.append(digits, digits + std::min(n, point + 1));
      if (n < point + 1) out.append(size_t(point + 1 - n), '0');
      if (n > point + 1) out += '.', out.append(digits + point + 1, digits + n);
    }
    return true;
  }
  return false;
}
#endif

// Appends the shortest text that reads back as x (as a float if `single`).
void append_shortest(std::string& out, double x, bool single) {
#if defined(__cpp_lib_to_chars) && !defined(BPLAB_JSON_PORTABLE_NUMBERS)
  char buf[64];
  const auto r = single ? std::to_chars(buf, buf + sizeof buf, float(x)) : std::to_chars(buf, buf + sizeof buf, x);
  out.append(buf, r.ptr);
#else
  if (single && append_float_fast(out, float(x))) return;
  // A float needs at most 9 significant digits to round-trip, a double 17.
  const int most = single ? 9 : 17;
  for (int precision = single ? 1 : 15; precision < most; ++precision) {
    const std::string s = printf_g(single ? double(float(x)) : x, precision);
    const double back = strtod_c_locale(s.data(), s.data() + s.size());
    if (single ? float(back) == float(x) : back == x) {
      out += s;
      return;
    }
  }
  out += printf_g(single ? double(float(x)) : x, most);
#endif
}

void append_number(std::string& out, double x, NumberFormat format) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  const size_t start = out.size();
  append_shortest(out, x, format == NumberFormat::Float);
  // json.dump writes a float 1.0 as "1.0"; keep that so Python reads a float back.
  if (format != NumberFormat::Integer && out.find_first_not_of("-0123456789", start) == std::string::npos) out += ".0";
}

}  // namespace

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string format_number(double x, NumberFormat format) {
  std::string s;
  append_number(s, x, format);
  return s;
}

// [SECTION] Parser

namespace {

// The length of the valid UTF-8 sequence at q (whose first byte is >= 0x80) before end, or 0.
size_t utf8_length(const char* q, const char* end) {
  const auto byte = [&](size_t i) { return q + i < end ? static_cast<unsigned char>(q[i]) : 0u; };
  const unsigned c = byte(0);
  size_t n;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // no overlong forms
    if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (size_t i = 2; i < n; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return n;
}

// JSON's two-character escapes: {letter after the backslash, character}.
constexpr char kEscapes[][2] = {{'"', '"'},  {'\\', '\\'}, {'/', '/'},  {'b', '\b'},
                                {'f', '\f'}, {'n', '\n'},   {'r', '\r'}, {'t', '\t'}};

// The character that "\<letter>" stands for, or 0 (also for 'u').
char unescape(char letter) {
  for (const auto& e : kEscapes)
    if (e[0] == letter) return e[1];
  return 0;
}

// The letter to write after a backslash for c, or 0 if c needs none of these escapes.
// '/' may be escaped but need not be; like json.dump we leave it alone.
char escape(char c) {
  for (const auto& e : kEscapes)
    if (e[1] == c && c != '/') return e[0];
  return 0;
}

class Parser {
 public:
  Parser(std::string_view text, int max_depth, size_t max_values)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth),
        values_left_(max_values) {}

  ParseResult run() {
    ParseResult result;
    if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0)
      fail(p_, "the text starts with a UTF-8 byte order mark, which JSON does not allow");
    else if (parse_value(result.value, 0)) {
      skip_whitespace();
      if (p_ != end_) fail(p_, "unexpected " + describe(p_) + " after the JSON value");
    }
    if (!error_.empty()) {
      result.value = Value();
      result.error = location(error_at_) + ": " + error_;
    }
    return result;
  }

 private:
  const char* begin_;
  const char* p_;
  const char* end_;
  int max_depth_;
  size_t values_left_;  // values (of any type) still allowed: bounds the tree's memory
  std::string error_;
  const char* error_at_ = nullptr;

  bool fail(const char* at, std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_at_ = at;
    }
    return false;
  }

  std::string location(const char* at) const {
    int line = 1;
    const char* line_start = begin_;
    for (const char* q = begin_; q < at; ++q)
      if (*q == '\n') ++line, line_start = q + 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(at - line_start + 1);
  }

  // "end of input", "'x'" or "byte 0x07", for messages.
  std::string describe(const char* at) const {
    if (at >= end_) return "end of input";
    const unsigned char c = static_cast<unsigned char>(*at);
    if (c >= 0x20 && c < 0x7F) return std::string("'") + char(c) + "'";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
    return buf;
  }

  void skip_whitespace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(const char* word, Value v, Value& out) {
    const size_t n = std::strlen(word);
    if (size_t(end_ - p_) < n || std::memcmp(p_, word, n) != 0)
      return fail(p_, "unexpected " + describe(p_) + " (expected " + word + "?)");
    p_ += n;
    out = std::move(v);
    return true;
  }

  // depth: how many arrays and objects enclose this value.
  bool parse_value(Value& out, int depth) {
    skip_whitespace();
    if (p_ == end_) return fail(p_, "unexpected end of input, expected a value");
    if (values_left_ == 0) return fail(p_, "the text holds more values than the limit allows");
    --values_left_;
    switch (*p_) {
      case '{': return parse_object(out, depth + 1);
      case '[': return parse_array(out, depth + 1);
      case '"': {
        std::string s;
        if (!parse_string(s)) return false;
        out = Value(std::move(s));
        return true;
      }
      case 't': return literal("true", Value(true), out);
      case 'f': return literal("false", Value(false), out);
      case 'n': return literal("null", Value(), out);
      case 'N':
      case 'I': return fail(p_, "NaN and Infinity are not valid JSON numbers");
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return parse_number(out);
        return fail(p_, "unexpected " + describe(p_) + ", expected a value");
    }
  }

  bool check_depth(int depth) {
    if (depth <= max_depth_) return true;
    return fail(p_, "lists and objects are nested more than " + std::to_string(max_depth_) + " deep");
  }

  // Skips whitespace; true if the next character is c.
  bool at(char c) {
    skip_whitespace();
    return p_ < end_ && *p_ == c;
  }

  // Skips whitespace and c if it comes next; true if it did.
  bool consume(char c) {
    if (!at(c)) return false;
    ++p_;
    return true;
  }

  bool parse_array(Value& out, int depth) {
    if (!check_depth(depth)) return false;
    ++p_;  // '['
    Array items;
    if (!consume(']')) {
      do {
        if (at(']')) return fail(p_, "trailing comma before ']'");
        items.emplace_back();
        if (!parse_value(items.back(), depth)) return false;
      } while (consume(','));
      if (!consume(']')) return fail(p_, "unexpected " + describe(p_) + " in a list, expected ',' or ']'");
    }
    out = Value(std::move(items));
    return true;
  }

  bool parse_object(Value& out, int depth) {
    if (!check_depth(depth)) return false;
    ++p_;  // '{'
    Object members;
    std::vector<const char*> key_positions;  // for the duplicate-key message
    if (!consume('}')) {
      do {
        if (at('}')) return fail(p_, "trailing comma before '}'");
        if (!at('"')) return fail(p_, "unexpected " + describe(p_) + ", expected a key in double quotes");
        key_positions.push_back(p_);
        std::string key;
        if (!parse_string(key)) return false;
        if (!consume(':')) return fail(p_, "unexpected " + describe(p_) + ", expected ':' after a key");
        members.emplace_back(std::move(key), nullptr);
        if (!parse_value(members.back().second, depth)) return false;
      } while (consume(','));
      if (!consume('}')) return fail(p_, "unexpected " + describe(p_) + " in an object, expected ',' or '}'");
    }
    if (!check_unique_keys(members, key_positions)) return false;
    out = Value(std::move(members));
    return true;
  }

  bool check_unique_keys(const Object& members, const std::vector<const char*>& positions) {
    // Sorting the indices by key (stable) puts a repeated key right after its first use.
    std::vector<size_t> order(members.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return members[a].first < members[b].first; });
    for (size_t i = 1; i < order.size(); ++i)
      if (members[order[i]].first == members[order[i - 1]].first)
        return fail(positions[order[i]], "duplicate key \"" + members[order[i]].first + "\"");
    return true;
  }

  // Reads the 4 hex digits of a \u escape at p_ (after "\u").
  bool hex4(unsigned& code) {
    if (end_ - p_ < 4) return fail(p_, "a \\u escape needs four hex digits");
    code = 0;
    for (int i = 0; i < 4; ++i) {
      const int d = hex_digit(p_[i]);
      if (d < 0) return fail(p_ + i, "a \\u escape needs four hex digits");
      code = code * 16 + unsigned(d);
    }
    p_ += 4;
    return true;
  }

  static void append_utf8(std::string& s, unsigned code) {
    if (code < 0x80) {
      s += char(code);
    } else if (code < 0x800) {
      s += char(0xC0 | (code >> 6));
      s += char(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      s += char(0xE0 | (code >> 12));
      s += char(0x80 | ((code >> 6) & 0x3F));
      s += char(0x80 | (code & 0x3F));
    } else {
      s += char(0xF0 | (code >> 18));
      s += char(0x80 | ((code >> 12) & 0x3F));
      s += char(0x80 | ((code >> 6) & 0x3F));
      s += char(0x80 | (code & 0x3F));
    }
  }


  bool parse_string(std::string& s) {
    ++p_;  // opening quote
    for (;;) {
      const char* run = p_;  // copy plain characters in one go
      while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20 &&
             static_cast<unsigned char>(*p_) < 0x80)
        ++p_;
      s.append(run, p_);
      if (p_ == end_) return fail(p_, "unexpected end of input inside a string");
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return fail(p_, "a control character (" + describe(p_) + ") inside a string must be escaped");
      if (c >= 0x80) {
        const size_t n = utf8_length(p_, end_);
        if (n == 0) return fail(p_, "invalid UTF-8 (" + describe(p_) + ") inside a string");
        s.append(p_, n);
        p_ += n;
        continue;
      }
      // A backslash escape.
      ++p_;
      if (p_ == end_) return fail(p_, "unexpected end of input inside a string");
      const char e = *p_++;
      if (const char c = unescape(e)) {
        s += c;
        continue;
      }
      if (e != 'u') return fail(p_ - 1, "invalid escape \\" + describe(p_ - 1) + " inside a string");
      const char* at = p_ - 2;
      unsigned code;
      if (!hex4(code)) return false;
      if (code >= 0xDC00 && code <= 0xDFFF) return fail(at, "a \\u escape is a lone low surrogate");
      if (code >= 0xD800 && code <= 0xDBFF) {  // a high surrogate must be followed by a low one
        unsigned low;
        if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return fail(at, "a \\u escape is a lone high surrogate");
        p_ += 2;
        if (!hex4(low)) return false;
        if (low < 0xDC00 || low > 0xDFFF) return fail(at, "a \\u escape is a lone high surrogate");
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
      }
      append_utf8(s, code);
    }
  }

  static bool is_digit(const char* q, const char* end) { return q < end && *q >= '0' && *q <= '9'; }

  // number = [ "-" ] ( "0" | [1-9] digit* ) [ "." digit+ ] [ ( "e" | "E" ) [ "+" | "-" ] digit+ ]
  bool parse_number(Value& out) {
    const char* start = p_;
    bool integer = true;
    if (*p_ == '-') {
      ++p_;
      if (p_ < end_ && *p_ == 'I') return fail(start, "NaN and Infinity are not valid JSON numbers");
    }
    if (!is_digit(p_, end_)) return fail(p_, "expected a digit after '-'");
    if (*p_ == '0') {
      ++p_;
      if (is_digit(p_, end_)) return fail(start, "numbers may not have leading zeros");
    } else {
      while (is_digit(p_, end_)) ++p_;
    }
    if (p_ < end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (!is_digit(p_, end_)) return fail(p_, "expected a digit after the decimal point");
      while (is_digit(p_, end_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!is_digit(p_, end_)) return fail(p_, "expected a digit in the exponent");
      while (is_digit(p_, end_)) ++p_;
    }
    double x;
    if (!to_double(start, p_, x))
      return fail(start, "the number " + std::string(start, std::min<size_t>(p_ - start, 40)) +
                             " is too large for a double");
    out = Value(x, integer ? NumberFormat::Integer : NumberFormat::Double);
    return true;
  }
};

}  // namespace

ParseResult parse(std::string_view text, int max_depth, size_t max_values) {
  return Parser(text, max_depth, max_values).run();
}

// [SECTION] Writer

namespace {

// Bytes that are not valid UTF-8 (a message that quotes a bad key, a text cut inside a
// character) are written as U+FFFD, so the output is always valid JSON text.
void write_string(std::string& out, const std::string& s) {
  out += '"';
  const char* const end = s.data() + s.size();
  for (const char* q = s.data(); q < end; ++q) {
    const char ch = *q;
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      const size_t n = utf8_length(q, end);
      if (n == 0) out += "\xEF\xBF\xBD";  // U+FFFD
      else out.append(q, n), q += n - 1;
    } else if (const char e = escape(ch)) {
      out += '\\';
      out += e;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

void newline(std::string& out, int indent, int level) {
  out += '\n';
  out.append(size_t(indent) * size_t(level), ' ');
}

void write_value(std::string& out, const Value& v, int indent, int level) {
  switch (v.type()) {
    case Type::Null: out += "null"; return;
    case Type::Bool: out += v.as_bool() ? "true" : "false"; return;
    case Type::Number: append_number(out, v.as_number(), v.number_format()); return;
    case Type::String: write_string(out, v.as_string()); return;
    case Type::Array: {
      const Array& items = v.as_array();
      out += '[';
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += indent < 0 ? ", " : ",";
        if (indent >= 0) newline(out, indent, level + 1);
        write_value(out, items[i], indent, level + 1);
      }
      if (indent >= 0 && !items.empty()) newline(out, indent, level);
      out += ']';
      return;
    }
    case Type::Object: {
      const Object& members = v.as_object();
      out += '{';
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out += indent < 0 ? ", " : ",";
        if (indent >= 0) newline(out, indent, level + 1);
        write_string(out, members[i].first);
        out += ": ";
        write_value(out, members[i].second, indent, level + 1);
      }
      if (indent >= 0 && !members.empty()) newline(out, indent, level);
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string write(const Value& value, int indent) {
  std::string out;
  write_value(out, value, indent, 0);
  return out;
}

}  // namespace bplab::json
