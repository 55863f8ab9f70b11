#pragma once
// Periodic clean-up a serve process does on the side: expired sessions and outbox rows whose job
// ran more than a day ago. Both are idempotent, so several serve processes may do it at once.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace chirp::app {

class Housekeeping {
 public:
  Housekeeping(std::chrono::seconds interval, std::function<void()> chores);
  ~Housekeeping();  // stops and joins
  Housekeeping(const Housekeeping&) = delete;
  Housekeeping& operator=(const Housekeeping&) = delete;

 private:
  void loop();

  std::chrono::seconds interval_;
  std::function<void()> chores_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace chirp::app
