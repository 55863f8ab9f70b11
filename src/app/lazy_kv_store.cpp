#include "app/lazy_kv_store.hpp"

namespace chirp::app {

store::kv::WideColumnStore& LazyKvStore::store() {
  if (auto* s = opened_.load(std::memory_order_acquire)) return *s;
  std::lock_guard lock(mutex_);
  if (!store_) {
    store_ = open_();
    opened_.store(store_.get(), std::memory_order_release);
  }
  return *store_;
}

bool LazyKvStore::ping() {
  try {
    return store().ping();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace chirp::app
