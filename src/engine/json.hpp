// A small, strict JSON reader and writer (RFC 8259), enough for model files.
//
// Strict means: no comments, no trailing commas, no NaN/Infinity, no leading zeros or "+",
// no byte order mark, no duplicate keys in an object, strings must be valid UTF-8 without raw
// control characters, and a number that overflows a double ("1e999") is an error rather than
// infinity. Nesting is limited (kMaxDepth) so hostile input cannot exhaust the stack.
// Objects keep their keys in the order they were read or added.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bplab::json {

enum class Type { Null, Bool, Number, String, Array, Object };

// How the writer prints a number. It does not change the value or comparisons.
//   Integer: as read without fraction or exponent, or built from an int ("784").
//   Double:  the shortest text that reads back as the same double, with ".0" when integral
//            ("0.5", "1.0"), as Python's json.dump writes floats.
//   Float:   the shortest text that reads back as the same float (9 digits at most).
enum class NumberFormat : uint8_t { Integer, Double, Float };

class Value;
using Array = std::vector<Value>;
using Member = std::pair<std::string, Value>;
using Object = std::vector<Member>;

class Value {
 public:
  Value() = default;  // null
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int n) : v_(Number{double(n), NumberFormat::Integer}) {}
  Value(double x) : v_(Number{x, NumberFormat::Double}) {}
  Value(float x) : v_(Number{double(x), NumberFormat::Float}) {}
  Value(double x, NumberFormat format) : v_(Number{x, format}) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}

  Type type() const { return Type(v_.index()); }
  bool is_null() const { return type() == Type::Null; }
  bool is_bool() const { return type() == Type::Bool; }
  bool is_number() const { return type() == Type::Number; }
  bool is_string() const { return type() == Type::String; }
  bool is_array() const { return type() == Type::Array; }
  bool is_object() const { return type() == Type::Object; }

  // Each accessor requires the matching type (std::bad_variant_access otherwise).
  bool as_bool() const { return std::get<bool>(v_); }
  double as_number() const { return std::get<Number>(v_).value; }
  NumberFormat number_format() const { return std::get<Number>(v_).format; }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // The member named `key` of an object, or nullptr (also when this is not an object).
  const Value* find(std::string_view key) const;
  // Sets member `key` of an object: replaces its value if present, else appends it.
  void set(std::string key, Value value);

  // Same type and contents; numbers compare by value, object members in order.
  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }

 private:
  struct Number {
    double value;
    NumberFormat format;
    bool operator==(const Number& o) const { return value == o.value; }
  };
  // The index order matches Type.
  std::variant<std::nullptr_t, bool, Number, std::string, Array, Object> v_;
};

// A short name for a type, for messages ("a number", "a list").
const char* type_name(Type t);

constexpr int kMaxDepth = 64;

struct ParseResult {
  Value value;
  std::string error;  // empty on success, else "line L, column C: what is wrong"
  bool ok() const { return error.empty(); }
};

// Parses one JSON text (surrounding whitespace allowed). Arrays and objects nested more than
// `max_depth` deep are refused, and so is a text of more than `max_values` values (each
// costs ~40 bytes in the tree). Columns count bytes from 1.
ParseResult parse(std::string_view text, int max_depth = kMaxDepth, size_t max_values = SIZE_MAX);

// The JSON text of `value`; always valid UTF-8 (invalid bytes in strings become U+FFFD).
// indent < 0: one line with json.dump's separators (", " and ": ");
// indent >= 0: one member or element per line, indented by that many spaces per level.
// Non-finite numbers cannot be written in JSON; they are written as null (as JavaScript's
// JSON.stringify does), so check values first where that matters.
std::string write(const Value& value, int indent = -1);

// The text write() uses for one number.
std::string format_number(double x, NumberFormat format);

// The value of a hex digit (0-9, a-f, A-F), or -1: for \u escapes here and %xx in URLs (the app).
int hex_digit(char c);

}  // namespace bplab::json
