// Copyright Vigil authors.
#include "storage/storage.h"

#include <chrono>

#include "storage/migrations.h"

namespace vigil::server {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ConnectionPool::ConnectionPool(std::vector<std::unique_ptr<Database>> conns)
    : free_(std::move(conns)) {}

ConnectionPool::Lease::~Lease() {
  if (!db_) return;
  std::lock_guard<std::mutex> l(pool_->mu_);
  pool_->free_.push_back(std::move(db_));
  pool_->cv_.notify_one();
}

ConnectionPool::Lease ConnectionPool::Acquire() {
  std::unique_lock<std::mutex> l(mu_);
  cv_.wait(l, [&] { return !free_.empty(); });
  auto db = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(db));
}

std::unique_ptr<Storage> Storage::Open(const std::string& url, int readers) {
  std::unique_ptr<Storage> s(new Storage);
  s->url_ = url;
  auto first = OpenDatabase(url);
  s->dialect_ = first->dialect();
  Migrate(*first);
  if (readers < 1) readers = 1;
  if (s->dialect_ == Dialect::kSqlite) {
    std::vector<std::unique_ptr<Database>> w;
    w.push_back(std::move(first));
    s->pools_.push_back(std::make_unique<ConnectionPool>(std::move(w)));
    std::vector<std::unique_ptr<Database>> r;
    for (int i = 0; i < readers; ++i) r.push_back(OpenDatabase(url));
    s->pools_.push_back(std::make_unique<ConnectionPool>(std::move(r)));
    s->writers_ = s->pools_[0].get();
    s->readers_ = s->pools_[1].get();
  } else {
    // PostgreSQL has no single-writer rule: one pool for both.
    std::vector<std::unique_ptr<Database>> all;
    all.push_back(std::move(first));
    for (int i = 1; i < readers + 2; ++i) all.push_back(OpenDatabase(url));
    s->pools_.push_back(std::make_unique<ConnectionPool>(std::move(all)));
    s->writers_ = s->readers_ = s->pools_[0].get();
  }
  return s;
}

}  // namespace vigil::server
