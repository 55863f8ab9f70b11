#pragma once
// Periodic chores a process does on the side: a serve process purges expired sessions and outbox
// rows whose job ran more than a day ago (idempotent, so several may do it at once); every process
// on Redis runs a flush it owes Redis as soon as Redis answers again.
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
