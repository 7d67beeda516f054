// Typesetting on ImGui draw lists (see math.hpp). Index:
//   [SECTION] Nodes        the tree and its constructors
//   [SECTION] Metrics      fonts per level, leaf sizes
//   [SECTION] Layout       measure()
//   [SECTION] Drawing      draw(), show()
//   [SECTION] Text forms   plain(), mathml(), format_number()
#include "app/math.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <cstdlib>

#include "app/fonts.hpp"
#include "app/ui.hpp"

namespace bplab::app::math {

// [SECTION] Nodes

enum class Kind { Var, Sym, Op, Num, Text, Space, Row, Frac, Scripts, BigOp, Paren, Color, Tag };

struct NodeData {
  Kind kind = Kind::Row;
  std::string s, s2;          // the text of a leaf; the right delimiter of a Paren
  float em = 0;               // Space
  std::vector<Node> kids;     // Row: items; Frac: num, den; Scripts: base, sub, sup; BigOp: under, over; Paren/Color/Tag: inner
  ImU32 rgba = 0;             // Color
  int tag = -1;               // Tag
};

namespace {

// A new node of kind k over `kids`, to fill in before it is returned as a Node.
std::shared_ptr<NodeData> make(Kind k, std::vector<Node> kids = {}) {
  auto n = std::make_shared<NodeData>();
  n->kind = k;
  n->kids = std::move(kids);
  return n;
}

Node leaf(Kind k, const std::string& s) {
  auto n = make(k);
  n->s = s;
  return n;
}

Node wrap(Kind k, std::vector<Node> kids) { return make(k, std::move(kids)); }

}  // namespace

Node var(const std::string& s) { return leaf(Kind::Var, s); }
Node sym(const std::string& s) { return leaf(Kind::Sym, s); }
Node op(const std::string& s) { return leaf(Kind::Op, s); }
Node num(double v, int digits) { return leaf(Kind::Num, format_number(v, digits)); }
Node text(const std::string& s) { return leaf(Kind::Text, s); }
Node space(float em) {
  auto n = make(Kind::Space);
  n->em = em;
  return n;
}
Node row(std::vector<Node> items) { return wrap(Kind::Row, std::move(items)); }
Node frac(Node a, Node b) { return wrap(Kind::Frac, {std::move(a), std::move(b)}); }
Node sub(Node b, Node s) { return wrap(Kind::Scripts, {std::move(b), std::move(s), nullptr}); }
Node sup(Node b, Node p) { return wrap(Kind::Scripts, {std::move(b), nullptr, std::move(p)}); }
Node subsup(Node b, Node s, Node p) { return wrap(Kind::Scripts, {std::move(b), std::move(s), std::move(p)}); }
Node bigop(const std::string& s, Node under, Node over) {
  auto n = make(Kind::BigOp, {std::move(under), std::move(over)});
  n->s = s;
  return n;
}
Node paren(Node inner, const char* l, const char* r) {
  auto n = make(Kind::Paren, {std::move(inner)});
  n->s = l;
  n->s2 = r;
  return n;
}
Node color(Node inner, ImU32 rgba) {
  auto n = make(Kind::Color, {std::move(inner)});
  n->rgba = rgba;
  return n;
}
Node tagged(Node inner, int tag) {
  auto n = make(Kind::Tag, {std::move(inner)});
  n->tag = tag;
  return n;
}

Node idx(const std::string& name, const std::string& layer, const std::string& index) {
  Node base = var(name);
  Node l = layer.empty() ? nullptr : var(layer);
  Node i = index.empty() ? nullptr : var(index);
  if (l && i) return subsup(base, i, l);
  if (l) return sup(base, l);
  if (i) return sub(base, i);
  return base;
}

// [SECTION] Metrics

namespace {

int clamp_level(int level) { return std::clamp(level, 0, 2); }
int script_level(int level) { return std::max(level - 1, 0); }

FontRef font_for(Kind k, int level) {
  const Fonts& f = fonts();
  level = clamp_level(level);
  if (k == Kind::Var) return f.math_italic[level];
  if (k == Kind::Text) return {f.ui.font, f.math[level].size * 0.92f};
  return f.math[level];
}

float size_of(int level) { return fonts().math[clamp_level(level)].size; }

float text_width(const FontRef& f, const std::string& s) {
  if (!f.font || s.empty()) return 0;
  return f.font->CalcTextSizeA(f.size, FLT_MAX, 0.0f, s.c_str(), s.c_str() + s.size()).x;
}

// The ink of ordinary text: about 0.72 em above the baseline (capitals, digits) and 0.22 em
// below (descenders), tighter than the font's line metrics so fractions stay compact.
Box leaf_box(Kind k, const std::string& s, int level) {
  const FontRef f = font_for(k, level);
  Box b;
  b.width = text_width(f, s);
  if (k == Kind::Op) b.width += 0.44f * f.size;  // thick space on both sides of = + ⊙
  if (k == Kind::Var) b.width += 0.04f * f.size;  // italic overhang
  b.ascent = 0.74f * f.size;
  b.descent = 0.24f * f.size;
  return b;
}

float axis(int level) { return 0.30f * size_of(level); }  // height of the fraction bar above the baseline

}  // namespace

// [SECTION] Layout

Box measure(const Node& n, int level) {
  Box b;
  if (!n) return b;
  const float em = size_of(level);
  switch (n->kind) {
    case Kind::Var: case Kind::Sym: case Kind::Op: case Kind::Num: case Kind::Text:
      return leaf_box(n->kind, n->s, level);
    case Kind::Space:
      b.width = n->em * em;
      return b;
    case Kind::Row:
      for (const Node& k : n->kids) {
        const Box kb = measure(k, level);
        b.width += kb.width;
        b.ascent = std::max(b.ascent, kb.ascent);
        b.descent = std::max(b.descent, kb.descent);
      }
      return b;
    case Kind::Frac: {
      const Box num = measure(n->kids[0], level), den = measure(n->kids[1], level);
      const float gap = 0.14f * em;
      b.width = std::max(num.width, den.width) + 0.3f * em;
      b.ascent = axis(level) + gap + num.height();
      b.descent = std::max(0.0f, den.height() + gap - axis(level));
      return b;
    }
    case Kind::Scripts: {
      const Box base = measure(n->kids[0], level);
      const Box sb = measure(n->kids[1], script_level(level)), sp = measure(n->kids[2], script_level(level));
      const float up = std::max(0.42f * em, base.ascent - 0.3f * em), down = std::max(0.22f * em, base.descent);
      b.width = base.width + 0.04f * em + std::max(sb.width, sp.width);
      b.ascent = std::max(base.ascent, n->kids[2] ? up + sp.ascent : 0.0f);
      b.descent = std::max(base.descent, n->kids[1] ? down + sb.descent : 0.0f);
      return b;
    }
    case Kind::BigOp: {
      const int big = std::min(level + 1, 2);
      const Box s = leaf_box(Kind::Sym, n->s, big);
      const Box under = measure(n->kids[0], script_level(level)), over = measure(n->kids[1], script_level(level));
      const float gap = 0.1f * em;
      b.width = std::max({s.width, under.width, over.width}) + 0.2f * em;
      const float sa = axis(level) + 0.5f * size_of(big) * 0.78f, sd = 0.5f * size_of(big) * 0.78f - axis(level);
      b.ascent = sa + (n->kids[1] ? gap + over.height() : 0.0f);
      b.descent = sd + (n->kids[0] ? gap + under.height() : 0.0f);
      return b;
    }
    case Kind::Paren: {
      const Box in = measure(n->kids[0], level);
      const float pad = 0.08f * em;
      b.ascent = std::max(in.ascent, 0.74f * em) + pad;
      b.descent = std::max(in.descent, 0.24f * em) + pad;
      const float pw = std::min(0.28f * em + 0.06f * b.height(), 0.6f * em);
      b.width = in.width + 2 * pw + 0.1f * em;
      return b;
    }
    case Kind::Color: case Kind::Tag:
      return measure(n->kids[0], level);
  }
  return b;
}

// [SECTION] Drawing

namespace {

struct DrawCtx {
  ImDrawList* dl;
  int highlight;
  int* hovered;
  ImU32 color;
};

void draw_leaf(DrawCtx& c, Kind k, const std::string& s, ImVec2 p, int level) {
  const FontRef f = font_for(k, level);
  if (!f.font) return;
  float x = p.x;
  if (k == Kind::Op) x += 0.22f * f.size;
  const float top = p.y - f.font->Ascent * (f.size / f.font->FontSize);
  c.dl->AddText(f.font, f.size, ImVec2(std::round(x), top), c.color, s.c_str(), s.c_str() + s.size());
}

void draw_paren(DrawCtx& c, const std::string& d, float x, float top, float bottom, float w, bool left, float em) {
  const float t = std::max(1.0f, 0.065f * em);
  const float mid = 0.5f * (top + bottom);
  const float in = left ? x + w * 0.85f : x + w * 0.15f;   // the tips
  const float out = left ? x + w * 0.15f : x + w * 0.85f;  // the belly
  if (d == "[" || d == "]") {
    const float tip = left ? x + w * 0.8f : x + w * 0.2f, stem = left ? x + w * 0.3f : x + w * 0.7f;
    c.dl->AddPolyline(std::vector<ImVec2>{{tip, top}, {stem, top}, {stem, bottom}, {tip, bottom}}.data(), 4, c.color, 0, t);
    return;
  }
  if (d == "|") {
    c.dl->AddLine(ImVec2(x + w * 0.5f, top), ImVec2(x + w * 0.5f, bottom), c.color, t);
    return;
  }
  if (d == "‖") {  // a norm
    c.dl->AddLine(ImVec2(x + w * 0.3f, top), ImVec2(x + w * 0.3f, bottom), c.color, t);
    c.dl->AddLine(ImVec2(x + w * 0.7f, top), ImVec2(x + w * 0.7f, bottom), c.color, t);
    return;
  }
  // A parenthesis as two quadratic curves meeting at the belly.
  c.dl->PathLineTo(ImVec2(in, top));
  c.dl->PathBezierQuadraticCurveTo(ImVec2(out, top + 0.25f * (bottom - top)), ImVec2(out, mid), 0);
  c.dl->PathBezierQuadraticCurveTo(ImVec2(out, bottom - 0.25f * (bottom - top)), ImVec2(in, bottom), 0);
  c.dl->PathStroke(c.color, 0, t);
}

void draw_node(DrawCtx& c, const Node& n, ImVec2 p, int level) {
  if (!n) return;
  const float em = size_of(level);
  switch (n->kind) {
    case Kind::Var: case Kind::Sym: case Kind::Op: case Kind::Num: case Kind::Text:
      draw_leaf(c, n->kind, n->s, p, level);
      return;
    case Kind::Space:
      return;
    case Kind::Row:
      for (const Node& k : n->kids) {
        draw_node(c, k, p, level);
        p.x += measure(k, level).width;
      }
      return;
    case Kind::Frac: {
      const Box b = measure(n, level);
      const Box num = measure(n->kids[0], level), den = measure(n->kids[1], level);
      const float gap = 0.14f * em, bar = p.y - axis(level);
      draw_node(c, n->kids[0], ImVec2(p.x + 0.5f * (b.width - num.width), bar - gap - num.descent), level);
      draw_node(c, n->kids[1], ImVec2(p.x + 0.5f * (b.width - den.width), bar + gap + den.ascent), level);
      const float t = std::max(1.0f, 0.055f * em);
      c.dl->AddLine(ImVec2(p.x + 0.08f * em, bar), ImVec2(p.x + b.width - 0.08f * em, bar), c.color, t);
      return;
    }
    case Kind::Scripts: {
      const Box base = measure(n->kids[0], level);
      draw_node(c, n->kids[0], p, level);
      const float x = p.x + base.width + 0.04f * em;
      const float up = std::max(0.42f * em, base.ascent - 0.3f * em), down = std::max(0.22f * em, base.descent);
      if (n->kids[2]) draw_node(c, n->kids[2], ImVec2(x, p.y - up), script_level(level));
      if (n->kids[1]) draw_node(c, n->kids[1], ImVec2(x - (n->kids[0]->kind == Kind::Var ? 0.08f * em : 0.0f), p.y + down), script_level(level));
      return;
    }
    case Kind::BigOp: {
      const int big = std::min(level + 1, 2);
      const Box b = measure(n, level), s = leaf_box(Kind::Sym, n->s, big);
      const Box under = measure(n->kids[0], script_level(level)), over = measure(n->kids[1], script_level(level));
      const float gap = 0.1f * em;
      const float sbase = p.y - axis(level) + 0.5f * size_of(big) * 0.72f;  // Σ's baseline, centred on the axis
      draw_leaf(c, Kind::Sym, n->s, ImVec2(p.x + 0.5f * (b.width - s.width), sbase), big);
      const float stop = sbase - 0.72f * size_of(big), sbot = sbase + 0.02f * size_of(big);
      if (n->kids[1]) draw_node(c, n->kids[1], ImVec2(p.x + 0.5f * (b.width - over.width), stop - gap - over.descent), script_level(level));
      if (n->kids[0]) draw_node(c, n->kids[0], ImVec2(p.x + 0.5f * (b.width - under.width), sbot + gap + under.ascent), script_level(level));
      return;
    }
    case Kind::Paren: {
      const Box b = measure(n, level), in = measure(n->kids[0], level);
      const float pw = (b.width - in.width - 0.1f * em) * 0.5f;
      const float top = p.y - b.ascent + 0.04f * em, bottom = p.y + b.descent - 0.04f * em;
      draw_paren(c, n->s, p.x, top, bottom, pw, true, em);
      draw_node(c, n->kids[0], ImVec2(p.x + pw + 0.05f * em, p.y), level);
      draw_paren(c, n->s2, p.x + b.width - pw, top, bottom, pw, false, em);
      return;
    }
    case Kind::Color: {
      const ImU32 saved = c.color;
      c.color = n->rgba;
      draw_node(c, n->kids[0], p, level);
      c.color = saved;
      return;
    }
    case Kind::Tag: {
      const Box b = measure(n->kids[0], level);
      const ImVec2 lo(p.x - 1, p.y - b.ascent - 1), hi(p.x + b.width + 1, p.y + b.descent + 1);
      if (n->tag >= 0 && n->tag == c.highlight)
        c.dl->AddRectFilled(lo, hi, ui::palette().highlight_fill, 3.0f);
      if (c.hovered && ImGui::IsMouseHoveringRect(lo, hi, false)) *c.hovered = n->tag;
      draw_node(c, n->kids[0], p, level);  // an inner tag, drawn later, wins the hover
      return;
    }
  }
}

}  // namespace

void draw(ImDrawList* dl, const Node& n, ImVec2 baseline_left, int level, int highlight, int* hovered) {
  DrawCtx c{dl, highlight, hovered, ImGui::GetColorU32(ImGuiCol_Text)};
  draw_node(c, n, baseline_left, level);
}

namespace {

int show_line(const Node& n, int highlight, int level) {
  const Box b = measure(n, level);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(b.width, b.height()));
  int hovered = -1;
  if (ImGui::IsItemVisible()) draw(ImGui::GetWindowDrawList(), n, ImVec2(p.x, p.y + b.ascent), level, highlight, &hovered);
  return hovered;
}

// The items of a row, nested rows opened: where a long formula may break.
void items_of(const Node& n, std::vector<Node>& out) {
  if (n && n->kind == Kind::Row) {
    for (const Node& k : n->kids) items_of(k, out);
  } else if (n) {
    out.push_back(n);
  }
}

}  // namespace

int show(const Node& n, int highlight, int level) {
  // Wider than the column (a phone, 400% zoom): broken before relations and operators, as
  // typeset maths is, the next lines indented, so that nothing scrolls sideways.
  const float avail = ImGui::GetContentRegionAvail().x;
  if (avail <= 0 || measure(n, level).width <= avail || !n || n->kind != Kind::Row) return show_line(n, highlight, level);
  std::vector<Node> items;
  items_of(n, items);
  const float indent = size_of(level);
  int hovered = -1;
  std::vector<Node> line;
  float width = 0;
  bool first = true;
  auto flush = [&] {
    if (line.empty()) return;
    if (!first) ImGui::Indent(indent);
    const int h = show_line(row(line), highlight, level);
    if (!first) ImGui::Unindent(indent);
    if (h >= 0) hovered = h;
    line.clear();
    width = 0;
    first = false;
  };
  // Pieces that each start at an operator; as many on a line as fit.
  std::vector<std::vector<Node>> pieces(1);
  for (const Node& k : items) {
    if (k->kind == Kind::Op && !pieces.back().empty()) pieces.emplace_back();
    pieces.back().push_back(k);
  }
  for (const std::vector<Node>& piece : pieces) {
    float w = 0;
    for (const Node& k : piece) w += measure(k, level).width;
    if (!line.empty() && width + w > avail - (first ? 0 : indent)) flush();
    line.insert(line.end(), piece.begin(), piece.end());
    width += w;
  }
  flush();
  return hovered;
}

// [SECTION] Text forms

std::string escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

namespace {

// One code point or one ASCII character: no braces needed around it as a script.
bool is_single(const std::string& s) {
  if (s.empty()) return false;
  const unsigned char c0 = static_cast<unsigned char>(s[0]);
  const size_t len = c0 < 0x80 ? 1 : c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
  return s.size() == len;
}

std::string script(const std::string& s) { return is_single(s) ? s : "{" + s + "}"; }

bool is_digitish(const std::string& s) {
  return !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s.rfind("\xE2\x88\x92", 0) == 0);
}

}  // namespace

std::string plain(const Node& n) {
  if (!n) return "";
  switch (n->kind) {
    case Kind::Var: case Kind::Sym: case Kind::Num: case Kind::Text: return n->s;
    case Kind::Op: return " " + n->s + " ";
    case Kind::Space: return n->em >= 0.5f ? "  " : "";
    case Kind::Row: {
      std::string s;
      for (const Node& k : n->kids) s += plain(k);
      return s;
    }
    case Kind::Frac: {
      auto part = [](const Node& k) {
        const std::string s = plain(k);
        return s.find(' ') == std::string::npos ? s : "(" + s + ")";
      };
      return part(n->kids[0]) + "/" + part(n->kids[1]);
    }
    case Kind::Scripts: {
      std::string s = plain(n->kids[0]);
      if (n->kids[2]) s += "^" + script(plain(n->kids[2]));
      if (n->kids[1]) s += "_" + script(plain(n->kids[1]));
      return s;
    }
    case Kind::BigOp: {
      std::string s = n->s;
      if (n->kids[0]) s += "_" + script(plain(n->kids[0]));
      if (n->kids[1]) s += "^" + script(plain(n->kids[1]));
      return s + " ";
    }
    case Kind::Paren: return n->s + plain(n->kids[0]) + n->s2;
    case Kind::Color: case Kind::Tag: return plain(n->kids[0]);
  }
  return "";
}

namespace {

// Splits a leaf's text into MathML tokens: "L−1" is <mi>L</mi><mo>−</mo><mn>1</mn> (read "L minus
// 1", not "L negative 1"); a lone "−5" is a minus and a number.
std::string tokens(const std::string& s, const char* ident_tag) {
  static const char* const kOps[] = {"\xE2\x88\x92" /* − */, "+", "=", "\xC3\x97" /* × */};
  std::string out, run;
  bool run_digits = false;
  auto flush = [&] {
    if (run.empty()) return;
    out += run_digits ? "<mn>" + escape(run) + "</mn>" : std::string("<") + ident_tag + ">" + escape(run) + "</" + ident_tag + ">";
    run.clear();
  };
  for (size_t i = 0; i < s.size();) {
    bool matched = false;
    for (const char* op : kOps) {
      const size_t len = std::strlen(op);
      if (s.compare(i, len, op) == 0) {
        flush();
        out += "<mo>" + escape(op) + "</mo>";
        i += len;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const bool digit = std::isdigit(static_cast<unsigned char>(s[i])) || (s[i] == '.' && run_digits);
    if (!run.empty() && digit != run_digits) flush();
    run_digits = digit;
    run += s[i++];
  }
  flush();
  return out;
}

bool has_operator(const std::string& s) {
  return s.size() > 1 && (s.find("\xE2\x88\x92") != std::string::npos || s.find('+') != std::string::npos);
}

// A number as MathML: "−1.23×10⁻⁵" is − 1.23 × 10^(−5), with a real minus operator.
std::string ml_number(const std::string& s) {
  std::string rest = s, out;
  const std::string minus = "\xE2\x88\x92";
  if (rest.rfind(minus, 0) == 0) {
    out += "<mo>" + minus + "</mo>";
    rest = rest.substr(minus.size());
  }
  const std::string times10 = "\xC3\x97" "10";
  const size_t e = rest.find(times10);
  if (rest.empty() || !std::isdigit(static_cast<unsigned char>(rest[0]))) {
    out += rest == "∞" ? "<mi>∞</mi>" : "<mtext>" + escape(rest) + "</mtext>";  // ∞, "undefined"
  } else if (e == std::string::npos) {
    out += "<mn>" + escape(rest) + "</mn>";
  } else {
    static const char* const sup_digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    std::string ex, tail = rest.substr(e + times10.size());
    bool negative = false;
    if (tail.rfind("⁻", 0) == 0) negative = true, tail = tail.substr(std::strlen("⁻"));
    while (!tail.empty()) {
      bool found = false;
      for (int d = 0; d < 10; ++d)
        if (tail.rfind(sup_digits[d], 0) == 0) {
          ex += char('0' + d);
          tail = tail.substr(std::strlen(sup_digits[d]));
          found = true;
          break;
        }
      if (!found) break;
    }
    out += "<mn>" + escape(rest.substr(0, e)) + "</mn><mo>\xC3\x97</mo><msup><mn>10</mn><mrow>" +
           (negative ? "<mo>" + minus + "</mo>" : std::string()) + "<mn>" + ex + "</mn></mrow></msup>";
  }
  return out.rfind("<mo>", 0) == 0 || out.find("<msup>") != std::string::npos ? "<mrow>" + out + "</mrow>" : out;
}

// A function's name: σ′(z) is read "σ′ of z" with an invisible function application between.
bool is_function_name(const Node& n) {
  return n && n->kind == Kind::Sym && (n->s == "σ′" || n->s == "σ" || n->s == "ln" || n->s == "exp");
}

std::string ml(const Node& n) {
  if (!n) return "<mrow></mrow>";
  switch (n->kind) {
    case Kind::Var:
      if (has_operator(n->s)) return "<mrow>" + tokens(n->s, "mi") + "</mrow>";
      return "<mi>" + escape(n->s) + "</mi>";
    case Kind::Num: return ml_number(n->s);
    case Kind::Sym:
      if (has_operator(n->s)) return "<mrow>" + tokens(n->s, "mi") + "</mrow>";
      if (is_digitish(n->s)) return ml_number(n->s);
      if (is_single(n->s) && static_cast<unsigned char>(n->s[0]) >= 0x80 && !is_function_name(n)) return "<mo>" + escape(n->s) + "</mo>";
      return "<mi mathvariant=\"normal\">" + escape(n->s) + "</mi>";
    case Kind::Op: return "<mo>" + escape(n->s) + "</mo>";
    case Kind::Text: return "<mtext>" + escape(n->s) + "</mtext>";
    case Kind::Space: {
      char buf[48];
      std::snprintf(buf, sizeof buf, "<mspace width=\"%.2fem\"/>", double(n->em));
      return buf;
    }
    case Kind::Row: {
      std::string s = "<mrow>";
      for (size_t i = 0; i < n->kids.size(); ++i) {
        s += ml(n->kids[i]);
        if (is_function_name(n->kids[i]) && i + 1 < n->kids.size() && n->kids[i + 1] && n->kids[i + 1]->kind == Kind::Paren)
          s += "<mo>&#x2061;</mo>";  // &ApplyFunction;
      }
      return s + "</mrow>";
    }
    case Kind::Frac: return "<mfrac>" + ml(n->kids[0]) + ml(n->kids[1]) + "</mfrac>";
    case Kind::Scripts:
      if (n->kids[1] && n->kids[2]) return "<msubsup>" + ml(n->kids[0]) + ml(n->kids[1]) + ml(n->kids[2]) + "</msubsup>";
      if (n->kids[1]) return "<msub>" + ml(n->kids[0]) + ml(n->kids[1]) + "</msub>";
      return "<msup>" + ml(n->kids[0]) + ml(n->kids[2]) + "</msup>";
    case Kind::BigOp: {
      const std::string o = "<mo largeop=\"true\">" + escape(n->s) + "</mo>";
      if (n->kids[0] && n->kids[1]) return "<munderover>" + o + ml(n->kids[0]) + ml(n->kids[1]) + "</munderover>";
      if (n->kids[0]) return "<munder>" + o + ml(n->kids[0]) + "</munder>";
      if (n->kids[1]) return "<mover>" + o + ml(n->kids[1]) + "</mover>";
      return o;
    }
    case Kind::Paren:
      return "<mrow><mo>" + escape(n->s) + "</mo>" + ml(n->kids[0]) + "<mo>" + escape(n->s2) + "</mo></mrow>";
    case Kind::Color: case Kind::Tag: return ml(n->kids[0]);
  }
  return "";
}

}  // namespace

std::string mathml(const Node& n, bool display) {
  return std::string("<math") + (display ? " display=\"block\"" : "") + ">" + ml(n) + "</math>";
}

std::string format_number(double v, int digits) {
  if (std::isnan(v)) return "undefined";  // 0/0 or ∞ − ∞ (an infinite cost): said in words
  if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
  digits = std::clamp(digits, 1, 17);
  const double a = std::abs(v);
  char buf[64];
  std::string s;
  if (v == 0) {
    s = "0";
  } else if (a >= 1e-3 && a < 1e5 && (std::snprintf(buf, sizeof buf, "%.*g", digits, v), !std::strchr(buf, 'e'))) {
    s = buf;  // %g writes 65250 to 4 digits as "6.525e+04": that goes below, as 6.525×10⁴
  } else {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);  // "-1.234e-05"
    std::string m(buf);
    const size_t e = m.find('e');
    std::string mant = m.substr(0, e);
    int ex = std::atoi(m.c_str() + e + 1);
    static const char* sup_digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    std::string es = ex < 0 ? "⁻" : "";
    const std::string digits_str = std::to_string(std::abs(ex));
    for (char d : digits_str) es += sup_digits[d - '0'];
    s = mant + "×10" + es;
  }
  if (!s.empty() && s[0] == '-') s = "−" + s.substr(1);  // a real minus sign
  return s;
}

}  // namespace bplab::app::math
