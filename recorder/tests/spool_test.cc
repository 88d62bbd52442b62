// Copyright Vigil authors.
#include "spool.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace vigil::recorder {
namespace {

class SpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vigil-spool-unit-XXXXXX";
    root_ = mkdtemp(tmpl);
    dir_ = root_ + "/spool";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::unique_ptr<Spool> Open(uint64_t max_bytes = 1 << 20) {
    std::string warning;
    auto s = Spool::Open(dir_, max_bytes, &warning);
    EXPECT_EQ(warning, "");
    return s;
  }
  static std::string Batch(int i) {
    return "{\"batch_id\":\"b" + std::to_string(i) + "\",\"events\":[" + std::string(200, ' ') + "]}";
  }
  size_t FilesOnDisk() {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().extension() == ".gz") ++n;
    }
    return n;
  }
  std::string root_, dir_;
};

TEST_F(SpoolTest, KeepsBatchesInOrderAcrossReopen) {
  {
    auto s = Open();
    for (int i = 0; i < 5; ++i) s->Push(Batch(i), 10);
    EXPECT_TRUE(s->stats().on_disk);
    EXPECT_EQ(FilesOnDisk(), 5u);
  }
  auto s = Open();
  EXPECT_EQ(s->stats().recovered_batches, 5u);
  EXPECT_EQ(s->stats().events, 50u);
  for (int i = 0; i < 5; ++i) {
    std::string batch;
    uint32_t events = 0;
    ASSERT_TRUE(s->Front(&batch, &events));
    EXPECT_EQ(batch, Batch(i));
    EXPECT_EQ(events, 10u);
    s->PopFront();
  }
  EXPECT_TRUE(s->empty());
  EXPECT_EQ(FilesOnDisk(), 0u);
}

TEST_F(SpoolTest, NewBatchesAfterReopenComeAfterTheRecoveredOnes) {
  {
    auto s = Open();
    s->Push(Batch(0), 1);
  }
  auto s = Open();
  s->Push(Batch(1), 1);
  std::string batch;
  uint32_t events;
  ASSERT_TRUE(s->Front(&batch, &events));
  EXPECT_EQ(batch, Batch(0));
}

TEST_F(SpoolTest, BoundDropsTheOldestAndCounts) {
  auto s = Open(/*max_bytes=*/100);  // a compressed batch is ~40-60 bytes
  for (int i = 0; i < 10; ++i) s->Push(Batch(i), 3);
  const SpoolStats st = s->stats();
  EXPECT_LE(st.bytes, 100u);
  EXPECT_GT(st.dropped_batches, 0u);
  EXPECT_EQ(st.dropped_events, st.dropped_batches * 3);
  EXPECT_EQ(st.events + st.dropped_events, 30u);
  std::string batch;
  uint32_t events;
  // What is left is the newest.
  size_t left = 0;
  std::string last;
  while (s->Front(&batch, &events)) {
    last = batch;
    s->PopFront();
    ++left;
  }
  EXPECT_EQ(last, Batch(9));
  EXPECT_EQ(left, st.batches);
}

TEST_F(SpoolTest, ABatchLargerThanTheWholeBoundIsDroppedAndCounted) {
  auto s = Open(/*max_bytes=*/16);
  s->Push(Batch(0), 7);
  EXPECT_TRUE(s->empty());
  EXPECT_EQ(s->stats().dropped_events, 7u);
}

TEST_F(SpoolTest, CorruptOrVanishedFilesAreSkippedAndCounted) {
  {
    auto s = Open();
    for (int i = 0; i < 3; ++i) s->Push(Batch(i), 2);
  }
  // Corrupt the first, remove nothing else.
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    if (e.path().extension() == ".gz") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::ofstream(files[0], std::ios::trunc) << "not gzip";
  // A write cut short by a crash.
  std::ofstream(dir_ + "/00000000000000ff-1.batch.gz.tmp") << "partial";
  auto s = Open();
  std::string batch;
  uint32_t events;
  ASSERT_TRUE(s->Front(&batch, &events));
  EXPECT_EQ(batch, Batch(1));
  EXPECT_EQ(s->stats().dropped_events, 2u);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/00000000000000ff-1.batch.gz.tmp"));
}

TEST_F(SpoolTest, ASecondProcessFallsBackToMemoryWithAWarning) {
  auto first = Open();
  std::string warning;
  auto second = Spool::Open(dir_, 1 << 20, &warning);
  EXPECT_NE(warning.find("another process"), std::string::npos) << warning;
  EXPECT_FALSE(second->stats().on_disk);
  second->Push(Batch(0), 1);
  std::string batch;
  uint32_t events;
  ASSERT_TRUE(second->Front(&batch, &events));
  EXPECT_EQ(batch, Batch(0));
}

TEST_F(SpoolTest, UnusableDirectoryFallsBackToMemory) {
  std::ofstream(root_ + "/file") << "x";
  std::string warning;
  auto s = Spool::Open(root_ + "/file/spool", 1 << 20, &warning);
  EXPECT_NE(warning, "");
  EXPECT_FALSE(s->stats().on_disk);
}

TEST_F(SpoolTest, SplitFrontKeepsTheHalvesFirstAndInOrder) {
  auto s = Open();
  s->Push(Batch(0), 4);
  s->Push(Batch(1), 1);
  s->SplitFront(Batch(10), 2, Batch(11), 2);
  EXPECT_EQ(s->stats().events, 5u);
  std::vector<std::string> order;
  std::string batch;
  uint32_t events;
  while (s->Front(&batch, &events)) {
    order.push_back(batch);
    s->PopFront();
  }
  EXPECT_EQ(order, (std::vector<std::string>{Batch(10), Batch(11), Batch(1)}));
}

TEST_F(SpoolTest, MemorySpoolIsBoundedToo) {
  std::string warning;
  auto s = Spool::Open("", 100, &warning);
  for (int i = 0; i < 10; ++i) s->Push(Batch(i), 1);
  EXPECT_LE(s->stats().bytes, 100u);
  EXPECT_EQ(s->stats().events + s->stats().dropped_events, 10u);
}

}  // namespace
}  // namespace vigil::recorder
