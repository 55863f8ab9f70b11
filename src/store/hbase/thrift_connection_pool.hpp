#pragma once
// Connections to the HBase Thrift2 gateway, shared by request threads (internal to store/hbase:
// it pulls in Thrift and the generated client). Each connection is TSocket → TBufferedTransport →
// TBinaryProtocol, the gateway's default (unframed) transport; a Thrift client serves one call at a
// time, so a caller leases one and the lease gives it back when it goes out of scope.
//
// The gateway closes connections idle longer than its read timeout (-t). A leased idle connection
// is checked first: one idle too long (max_idle) or already closed by the server is replaced by a
// fresh one. A connection can still die between that check and the call, so callers retry once on
// a transport error when the lease was a reused connection (HBaseStore::Impl::call).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "THBaseService.h"

namespace apache::thrift::transport {
class TSocket;
class TTransport;
}  // namespace apache::thrift::transport

namespace chirp::store::hbase {

struct PoolSettings {
  std::string host;
  std::uint16_t port = 9090;
  std::size_t size = 8;
  std::chrono::milliseconds timeout{5000};     // connect, send, receive
  std::chrono::milliseconds max_idle{30000};   // below the gateway's read timeout (default 60 s)
  bool probe_idle = true;                      // look for a server-side close before reusing
};

class ThriftConnection {
 public:
  // Connects; throws apache::thrift::transport::TTransportException when it cannot.
  explicit ThriftConnection(const PoolSettings& settings);
  ~ThriftConnection();
  ThriftConnection(const ThriftConnection&) = delete;
  ThriftConnection& operator=(const ThriftConnection&) = delete;

  hbase_thrift::THBaseServiceClient& client() { return client_; }
  // For calls that take long on the server (creating and dropping tables).
  void set_receive_timeout(std::chrono::milliseconds timeout);
  void reset_receive_timeout() { set_receive_timeout(timeout_); }
  // False when the server closed the connection (or sent something unasked).
  bool looks_open() const;
  // Closes the socket under the client, as a server dropping the connection would (tests).
  void sever();

  std::chrono::steady_clock::time_point last_used;

 private:
  std::shared_ptr<apache::thrift::transport::TSocket> socket_;
  std::shared_ptr<apache::thrift::transport::TTransport> transport_;
  hbase_thrift::THBaseServiceClient client_;
  std::chrono::milliseconds timeout_;
};

class ThriftConnectionPool {
 public:
  class Lease {
   public:
    Lease(Lease&& other) noexcept
        : pool_(other.pool_), connection_(std::move(other.connection_)), reused_(other.reused_) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    ThriftConnection& connection() { return *connection_; }
    hbase_thrift::THBaseServiceClient& client() { return connection_->client(); }
    // True when the connection served calls before (it may have gone stale since).
    bool reused() const { return reused_; }
    // The connection is broken: close it instead of giving it back.
    void discard();

   private:
    friend class ThriftConnectionPool;
    Lease(ThriftConnectionPool* pool, std::unique_ptr<ThriftConnection> connection, bool reused)
        : pool_(pool), connection_(std::move(connection)), reused_(reused) {}
    ThriftConnectionPool* pool_;
    std::unique_ptr<ThriftConnection> connection_;
    bool reused_;
  };

  explicit ThriftConnectionPool(PoolSettings settings);
  ThriftConnectionPool(const ThriftConnectionPool&) = delete;
  ThriftConnectionPool& operator=(const ThriftConnectionPool&) = delete;

  // Waits up to the timeout for a free connection; throws chirp::Unavailable when none comes free
  // or a new connection cannot be opened.
  Lease acquire();
  // Severs every idle connection (tests: a gateway dropping idle clients).
  void sever_idle_connections();
  std::size_t open_connections() const;

 private:
  void release(std::unique_ptr<ThriftConnection> connection);
  void forget_one();

  const PoolSettings settings_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<ThriftConnection>> idle_;  // the most recently used last
  std::size_t open_ = 0;                                 // idle + leased
};

}  // namespace chirp::store::hbase
