#include "store/kv/time_range_filter.hpp"

namespace chirp::store::kv {
namespace {

// The greatest key of `owner`'s rows at time `at`: with a tie-breaking id, the one with the
// largest id, so bounds at this key treat all rows of that time alike.
Record last_key_at(const ModelSpec& spec, const Record& owner, Micros at) {
  Record key = owner;
  key.insert_or_assign(spec.key.at(1).name, at);
  if (spec.key.size() > 2) key.insert_or_assign(spec.key.at(2).name, kMaxEncodedInteger);
  return key;
}

}  // namespace

std::optional<FilterArgs> newest_first_filter(const ModelSpec& spec, const Record& owner,
                                              const domain::TimeRange& range) {
  if (range.limit == 0) return std::nullopt;
  FilterArgs args{.prefix = owner, .limit = range.limit, .reverse = true};
  if (range.after) {
    if (*range.after >= kMaxEncodedInteger) return std::nullopt;
    // Reverse scan: stop is the exclusive low bound, so rows strictly after `after`.
    if (*range.after >= 0) args.stop = last_key_at(spec, owner, *range.after);
  } else if (range.before) {
    if (*range.before <= 0) return std::nullopt;
    // Reverse scan: start is the inclusive high bound, so rows at `before - 1` or older.
    if (*range.before - 1 <= kMaxEncodedInteger) {
      args.start = last_key_at(spec, owner, *range.before - 1);
    }
  }
  return args;
}

}  // namespace chirp::store::kv
