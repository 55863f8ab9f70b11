#include "store/kv/row_codec.hpp"

#include <cstdint>
#include <stdexcept>

namespace chirp::store::kv {
namespace {

void append_varint(std::string& out, std::uint64_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

std::uint64_t read_varint(std::string_view& in) {
  std::uint64_t n = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) break;
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return n;
  }
  throw std::runtime_error("corrupt wide-column row: bad length");
}

std::string_view read_bytes(std::string_view& in) {
  const std::uint64_t length = read_varint(in);
  if (length > in.size()) throw std::runtime_error("corrupt wide-column row: truncated");
  const std::string_view bytes = in.substr(0, length);
  in.remove_prefix(length);
  return bytes;
}

}  // namespace

std::string encode_row_value(const Columns& columns) {
  std::string out;
  for (const auto& [qualifier, value] : columns) {
    append_varint(out, qualifier.size());
    out += qualifier;
    append_varint(out, value.size());
    out += value;
  }
  return out;
}

Columns decode_row_value(std::string_view value) {
  Columns columns;
  while (!value.empty()) {
    std::string qualifier(read_bytes(value));
    std::string column_value(read_bytes(value));
    columns.insert_or_assign(std::move(qualifier), std::move(column_value));
  }
  return columns;
}

}  // namespace chirp::store::kv
