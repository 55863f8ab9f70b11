#include "domain/cache_batch.hpp"

namespace chirp::domain {

void CacheBatch::want(std::string key) {
  if (index_.contains(key)) return;
  index_.emplace(key, keys_.size());
  keys_.push_back(std::move(key));
}

void CacheBatch::fetch(ObjectCache& cache) {
  if (values_.size() == keys_.size()) return;
  if (values_.empty()) {
    values_ = cache.get_many(keys_);
    return;
  }
  const std::vector<std::string> pending(
      keys_.begin() + static_cast<std::ptrdiff_t>(values_.size()), keys_.end());
  for (auto& value : cache.get_many(pending)) values_.push_back(std::move(value));
}

const std::optional<std::string>* CacheBatch::find(std::string_view key) const {
  auto it = index_.find(key);
  if (it == index_.end() || it->second >= values_.size()) return nullptr;
  return &values_[it->second];
}

}  // namespace chirp::domain
