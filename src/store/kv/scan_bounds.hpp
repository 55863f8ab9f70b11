#pragma once
// A ScanRange's effective key bounds, shared by the wide-column backends (RocksDB, HBase).
#include <string>
#include <string_view>

#include "store/kv/wide_column_store.hpp"

namespace chirp::store::kv {

// The smallest key after every key starting with `prefix`; empty when there is none.
inline std::string prefix_end(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

// [low, high) narrowed to the prefix; empty = unbounded.
struct ScanBounds {
  std::string low;
  std::string high;
  bool contains(std::string_view key) const { return key >= low && (high.empty() || key < high); }
};

inline ScanBounds bounds_of(const ScanRange& range) {
  ScanBounds bounds{range.low, range.high};
  if (!range.prefix.empty()) {
    if (range.prefix > bounds.low) bounds.low = range.prefix;
    const std::string end = prefix_end(range.prefix);
    if (!end.empty() && (bounds.high.empty() || end < bounds.high)) bounds.high = end;
  }
  return bounds;
}

}  // namespace chirp::store::kv
