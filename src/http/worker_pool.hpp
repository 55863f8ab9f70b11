#pragma once
// A fixed set of threads running blocking request handlers, with a bounded queue: when every worker
// is busy and `queue_limit` tasks already wait, try_submit refuses (the server answers 503 at once
// rather than letting latency grow without bound; DESIGN.md §3).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace chirp::http {

class WorkerPool {
 public:
  WorkerPool(std::size_t threads, std::size_t queue_limit);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` unless the pool is full or stopped; returns whether it was accepted.
  bool try_submit(std::function<void()> task);

  // Lets running tasks finish, drops queued ones, joins the threads. Idempotent.
  void stop();

 private:
  void run();

  const std::size_t queue_limit_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace chirp::http
