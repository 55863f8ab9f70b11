#include "store/hbase/thrift_connection_pool.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <spdlog/spdlog.h>
#include <thrift/TOutput.h>
#include <thrift/transport/TSocket.h>

#include <mutex>

#include "common/errors.hpp"

namespace chirp::store::hbase {

using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::transport::TBufferedTransport;
using apache::thrift::transport::TSocket;
using apache::thrift::transport::TTransportException;

namespace {

int millis(std::chrono::milliseconds ms) { return static_cast<int>(ms.count()); }

// Thrift prints every socket error to stderr; the store reports failures itself (as exceptions),
// so Thrift's own lines only go to the debug log.
void route_thrift_output_to_debug_log() {
  static std::once_flag once;
  std::call_once(once, [] {
    apache::thrift::GlobalOutput.setOutputFunction(
        [](const char* message) { spdlog::debug("thrift: {}", message); });
  });
}

std::shared_ptr<TSocket> make_socket(const PoolSettings& settings) {
  auto socket = std::make_shared<TSocket>(settings.host, settings.port);
  socket->setConnTimeout(millis(settings.timeout));
  socket->setSendTimeout(millis(settings.timeout));
  socket->setRecvTimeout(millis(settings.timeout));
  socket->setNoDelay(true);
  return socket;
}

}  // namespace

ThriftConnection::ThriftConnection(const PoolSettings& settings)
    : socket_(make_socket(settings)),
      transport_(std::make_shared<TBufferedTransport>(socket_)),
      client_(std::make_shared<TBinaryProtocol>(transport_)),
      timeout_(settings.timeout) {
  transport_->open();
  last_used = std::chrono::steady_clock::now();
}

ThriftConnection::~ThriftConnection() {
  try {
    transport_->close();
  } catch (...) {
    // closing a dead socket: nothing to do
  }
}

void ThriftConnection::set_receive_timeout(std::chrono::milliseconds timeout) {
  socket_->setRecvTimeout(millis(timeout));
}

bool ThriftConnection::looks_open() const {
  if (!socket_->isOpen()) return false;
  // Between calls the server sends nothing: a readable socket means it closed (EOF) or reset it.
  pollfd fd{static_cast<int>(socket_->getSocketFD()), POLLIN, 0};
  const int ready = ::poll(&fd, 1, 0);
  return ready == 0;
}

void ThriftConnection::sever() {
  if (socket_->isOpen()) ::shutdown(static_cast<int>(socket_->getSocketFD()), SHUT_RDWR);
}

ThriftConnectionPool::Lease::~Lease() {
  if (connection_ && pool_ != nullptr) pool_->release(std::move(connection_));
}

void ThriftConnectionPool::Lease::discard() {
  if (!connection_) return;
  connection_.reset();
  pool_->forget_one();
}

ThriftConnectionPool::ThriftConnectionPool(PoolSettings settings) : settings_(std::move(settings)) {
  route_thrift_output_to_debug_log();
  if (settings_.size == 0) throw std::invalid_argument("hbase connection pool size must be > 0");
}

ThriftConnectionPool::Lease ThriftConnectionPool::acquire() {
  std::unique_ptr<ThriftConnection> connection;
  {
    std::unique_lock lock(mutex_);
    const bool available = freed_.wait_for(lock, settings_.timeout, [&] {
      return !idle_.empty() || open_ < settings_.size;
    });
    if (!available) {
      throw Unavailable("hbase: all " + std::to_string(settings_.size) +
                        " gateway connections stayed busy");
    }
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;
    }
  }
  if (connection) {
    const bool fresh_enough =
        std::chrono::steady_clock::now() - connection->last_used < settings_.max_idle;
    if (fresh_enough && (!settings_.probe_idle || connection->looks_open())) {
      return Lease(this, std::move(connection), true);
    }
    connection.reset();  // stale: its slot (still counted in open_) goes to a new connection
  }
  try {
    return Lease(this, std::make_unique<ThriftConnection>(settings_), false);
  } catch (const TTransportException& e) {
    forget_one();
    throw Unavailable("hbase: cannot connect to the gateway at " + settings_.host + ":" +
                      std::to_string(settings_.port) + ": " + e.what());
  }
}

void ThriftConnectionPool::release(std::unique_ptr<ThriftConnection> connection) {
  connection->last_used = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  freed_.notify_one();
}

void ThriftConnectionPool::forget_one() {
  {
    std::lock_guard lock(mutex_);
    --open_;
  }
  freed_.notify_one();
}

void ThriftConnectionPool::sever_idle_connections() {
  std::lock_guard lock(mutex_);
  for (auto& connection : idle_) connection->sever();
}

std::size_t ThriftConnectionPool::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

}  // namespace chirp::store::hbase
