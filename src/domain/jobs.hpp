#pragma once
// Background jobs (fan-out, follow backfill, unfollow cleanup, ...). A job is a kind and a small
// text payload; the queue delivers each job at least once, so every handler is idempotent.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace chirp::domain {

struct Job {
  std::string kind;
  std::string payload;
};

// A job that can never succeed (unknown kind, unreadable payload): logged and dropped instead of
// being retried forever.
struct MalformedJob : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

class JobQueue {
 public:
  virtual ~JobQueue() = default;
  // Durable once it returns: the job runs at least once even if this process dies afterwards.
  virtual void publish(const Job& job) = 0;
};

}  // namespace chirp::domain
