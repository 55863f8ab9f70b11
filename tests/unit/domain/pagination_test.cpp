#include "domain/pagination.hpp"

#include <gtest/gtest.h>

using namespace chirp::domain;

TEST(PageRequest, LookaheadReadsOneMore) {
  PageRequest p;
  p.page_size = 20;
  EXPECT_EQ(p.lookahead_range().limit, 21u);
  p.before = 100;
  EXPECT_EQ(p.lookahead_range().before, 100);
  EXPECT_FALSE(p.lookahead_range().after.has_value());
}

TEST(PageRequest, NewerCursorWinsAndIsBoundedAt1000) {
  PageRequest p;
  p.page_size = 5;
  p.before = 100;
  p.after = 50;
  auto r = p.lookahead_range();
  EXPECT_EQ(r.after, 50);
  EXPECT_FALSE(r.before.has_value());
  EXPECT_EQ(r.limit, kMaxNewerItems + 1);
  EXPECT_EQ(p.answer_size(), kMaxNewerItems);
}

TEST(CutPage, HasNextPageIsExact) {
  PageRequest p;
  p.page_size = 2;
  auto page = cut_page({{3, 30}, {2, 20}, {1, 10}}, p);
  EXPECT_TRUE(page.has_next_page);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[1].id, 2);
  auto last = cut_page({{2, 20}, {1, 10}}, p);
  EXPECT_FALSE(last.has_next_page);
  EXPECT_EQ(last.items.size(), 2u);
}

TEST(MergeNewestFirst, InterleavesDeduplicatesAndLimits) {
  auto merged = merge_newest_first({{{10, 100}, {8, 80}, {6, 60}}, {{9, 90}, {8, 80}, {7, 70}}}, 4);
  ASSERT_EQ(merged.size(), 4u);
  EXPECT_EQ(merged[0].id, 10);
  EXPECT_EQ(merged[1].id, 9);
  EXPECT_EQ(merged[2].id, 8);
  EXPECT_EQ(merged[3].id, 7);
}

TEST(MergeNewestFirst, EqualTimesOrderedByIdDescending) {
  auto merged = merge_newest_first({{{1, 50}}, {{2, 50}}}, 10);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].id, 2);
  EXPECT_EQ(merged[1].id, 1);
}

TEST(InRange, BoundsAreStrict) {
  TimeRange r{100, std::nullopt, 10};
  EXPECT_TRUE(in_range({1, 99}, r));
  EXPECT_FALSE(in_range({1, 100}, r));
  TimeRange g{std::nullopt, 100, 10};
  EXPECT_TRUE(in_range({1, 101}, g));
  EXPECT_FALSE(in_range({1, 100}, g));
}
