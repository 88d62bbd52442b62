// Copyright Vigil authors.
//
// The reclamation scheme on its own: a retired object is freed only once no
// reader that might hold it is still inside, and readers never wait.
#include "epoch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "thread_state.h"

namespace vigil::rt {
namespace {

constexpr uint64_t kAlive = 0x5AFE5AFE5AFE5AFEull;

struct Obj {
  uint64_t magic = kAlive;  // plain on purpose: TSan sees a racing free
  ~Obj() { magic = 0; }
};

void FreeObj(void* p) { delete static_cast<Obj*>(p); }

size_t FreeAll(std::vector<Reclaimer::Item>* items) {
  for (auto& it : *items) it.free_fn(it.object);
  size_t n = items->size();
  items->clear();
  return n;
}

TEST(EpochTest, RetiredObjectWaitsForAReaderThatMayHoldIt) {
  Reclaimer::Init();
  Reclaimer reclaimer;
  void* slot = new Obj;
  std::vector<Reclaimer::Item> freed;

  Reader* r = t_state.reader != nullptr ? t_state.reader : ClaimReader();
  ASSERT_NE(r, nullptr);
  uint64_t outer = EnterRead(r);
  EXPECT_EQ(outer, 0u);
  auto* held = static_cast<Obj*>(LoadSlot(&slot));
  uint64_t inner = EnterRead(r);  // nested: no new publication
  EXPECT_NE(inner, 0u);
  ExitRead(r, inner);

  StoreSlot(&slot, new Obj);
  reclaimer.Retire(held, &FreeObj);
  reclaimer.Advance();
  reclaimer.Collect(&freed);
  EXPECT_EQ(FreeAll(&freed), 0u);  // still inside
  EXPECT_EQ(held->magic, kAlive);
  EXPECT_EQ(reclaimer.pending(), 1u);

  ExitRead(r, outer);
  reclaimer.Collect(&freed);
  EXPECT_EQ(FreeAll(&freed), 1u);
  EXPECT_EQ(reclaimer.pending(), 0u);
  delete static_cast<Obj*>(slot);
}

TEST(EpochTest, ReaderEnteringAfterTheUnlinkDoesNotBlock) {
  Reclaimer::Init();
  Reclaimer reclaimer;
  void* slot = new Obj;
  std::vector<Reclaimer::Item> freed;
  void* old = slot;
  StoreSlot(&slot, new Obj);
  reclaimer.Retire(old, &FreeObj);
  reclaimer.Advance();
  Reader* r = t_state.reader != nullptr ? t_state.reader : ClaimReader();
  ASSERT_NE(r, nullptr);
  uint64_t prev = EnterRead(r);  // sees the new epoch, cannot hold `old`
  reclaimer.Collect(&freed);
  EXPECT_EQ(FreeAll(&freed), 1u);
  ExitRead(r, prev);
  delete static_cast<Obj*>(slot);
}

TEST(EpochTest, ConcurrentReadersNeverSeeAFreedObject) {
  Reclaimer::Init();
  Reclaimer reclaimer;
  void* slot = new Obj;
  std::atomic<bool> stop{false};
  std::atomic<int> broken{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      Reader* r = ClaimReader();
      ASSERT_NE(r, nullptr);
      while (!stop.load(std::memory_order_relaxed)) {
        uint64_t prev = EnterRead(r);
        auto* o = static_cast<Obj*>(LoadSlot(&slot));
        if (o->magic != kAlive) broken.fetch_add(1);
        ExitRead(r, prev);
      }
    });
  }
  std::vector<Reclaimer::Item> freed;
  size_t total = 0;
  for (int i = 0; i < 5000; ++i) {
    void* old = LoadSlot(&slot);
    StoreSlot(&slot, new Obj);
    reclaimer.Retire(old, &FreeObj);
    reclaimer.Advance();
    reclaimer.Collect(&freed);
    total += FreeAll(&freed);
  }
  stop.store(true);
  for (auto& r : readers) r.join();
  reclaimer.Collect(&freed);
  total += FreeAll(&freed);
  EXPECT_EQ(broken.load(), 0);
  EXPECT_EQ(total, 5000u);
  delete static_cast<Obj*>(slot);
}

}  // namespace
}  // namespace vigil::rt
