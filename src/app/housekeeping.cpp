#include "app/housekeeping.hpp"

#include <spdlog/spdlog.h>

namespace chirp::app {

Housekeeping::Housekeeping(std::chrono::seconds interval, std::function<void()> chores)
    : interval_(interval), chores_(std::move(chores)), thread_([this] { loop(); }) {}

Housekeeping::~Housekeeping() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Housekeeping::loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    try {
      chores_();
    } catch (const std::exception& e) {
      spdlog::warn("housekeeping failed, will retry: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace chirp::app
