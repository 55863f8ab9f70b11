#pragma once
// Reading typed values out of model records, for the repositories built on the model layer.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "store/kv/model.hpp"

namespace chirp::store::kv {

// The integer field `name` of a record the model decoded; std::logic_error when absent (the
// model's spec and the repository disagree).
inline std::int64_t integer_field(const Record& record, std::string_view name) {
  const auto it = record.find(name);
  if (it == record.end() || !std::holds_alternative<std::int64_t>(it->second)) {
    throw std::logic_error("record has no integer field \"" + std::string(name) + "\"");
  }
  return std::get<std::int64_t>(it->second);
}

}  // namespace chirp::store::kv
