#include "domain/clock.hpp"

#include <atomic>

namespace chirp::domain {

Micros unique_now() {
  static std::atomic<Micros> last{0};
  Micros now = now_micros();
  Micros prev = last.load(std::memory_order_relaxed);
  Micros next;
  do {
    next = now > prev ? now : prev + 1;
  } while (!last.compare_exchange_weak(prev, next, std::memory_order_relaxed));
  return next;
}

}  // namespace chirp::domain
