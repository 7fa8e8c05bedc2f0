// The sender key distribution's codec: round trip, and every refusal — a
// Content in its place (and the other way round), short keys, half of the
// previous-key pair, stray fields — with a clear code.
#include <gtest/gtest.h>

#include "candor/protocol/frame.h"
#include "candor/protocol/group_wire.h"
#include "candor/wire/content.pb.h"

namespace candor::protocol {
namespace {

class GroupWireTest : public ::testing::Test {
 protected:
  GroupWireTest() { rng_.Fill(group_); }
  SenderKeyDistribution Sample() {
    crypto::OwnSenderKey key = crypto::GenerateSenderKey(group_, rng_);
    return SenderKeyDistribution{2, std::move(key.chain), key.signing.public_key(), std::nullopt,
                                 std::nullopt, {}};
  }
  static wire::GroupControl Parse(const Bytes& b) {
    wire::GroupControl pb;
    EXPECT_TRUE(pb.ParseFromArray(b.data(), static_cast<int>(b.size())));
    return pb;
  }
  static Bytes Serialize(const wire::GroupControl& pb) {
    std::string s = pb.SerializeAsString();
    return Bytes(s.begin(), s.end());
  }

  crypto::InsecureDeterministicRandom rng_{95};
  crypto::GroupId group_{};
};

TEST_F(GroupWireTest, RoundTrips) {
  SenderKeyDistribution d = Sample();
  d.chain.iteration = 41;
  d.previous_key_id = 7;
  d.previous_final_iteration = 0;  // a key replaced before it sent anything
  auto encoded = EncodeSenderKeyDistribution(d);
  ASSERT_TRUE(encoded.has_value());
  const Bytes bytes_value(encoded->Expose().begin(), encoded->Expose().end());
  const Bytes* bytes = &bytes_value;
  auto back = DecodeSenderKeyDistribution(*bytes);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->epoch, 2u);
  EXPECT_EQ(back->chain.group, group_);
  EXPECT_EQ(back->chain.kid, d.chain.kid);
  EXPECT_EQ(back->chain.iteration, 41u);
  EXPECT_TRUE(back->chain.chain_key == d.chain.chain_key);
  EXPECT_TRUE(back->chain.header_key == d.chain.header_key);
  EXPECT_EQ(back->signing_public, d.signing_public);
  EXPECT_EQ(back->previous_key_id, 7u);
  EXPECT_EQ(back->previous_final_iteration, 0u);
  // A distribution is not a text message, and text is not a distribution.
  EXPECT_EQ(DecodeContentText(*bytes).error().code(), Errc::kUnknownField);
  EXPECT_EQ(DecodeSenderKeyDistribution(*EncodeContent("hi")).error().code(),
            Errc::kUnknownField);
}

TEST_F(GroupWireTest, RefusesWhatItCannotTrust) {
  const SecretBytes encoded = *EncodeSenderKeyDistribution(Sample());
  const Bytes good(encoded.Expose().begin(), encoded.Expose().end());
  for (int field : {1, 5, 6, 7}) {
    wire::GroupControl pb = Parse(good);
    auto* d = pb.mutable_sender_key_distribution();
    std::string* s = field == 1   ? d->mutable_group_id()
                     : field == 5 ? d->mutable_chain_key()
                     : field == 6 ? d->mutable_header_key()
                                  : d->mutable_signing_key();
    s->pop_back();
    EXPECT_EQ(DecodeSenderKeyDistribution(Serialize(pb)).error().code(), Errc::kBadFieldLength)
        << field;
  }
  {
    wire::GroupControl pb = Parse(good);
    pb.mutable_sender_key_distribution()->set_previous_key_id(3);
    EXPECT_EQ(DecodeSenderKeyDistribution(Serialize(pb)).error().code(), Errc::kMissingField);
  }
  {
    // A field repeated: protobuf keeps the last, candor refuses the encoding.
    Bytes twice = good;
    const Bytes epoch = {0x10, 0x05};  // a stray field 2 = 5 after the distribution
    twice.insert(twice.end(), epoch.begin(), epoch.end());
    EXPECT_FALSE(DecodeSenderKeyDistribution(twice).has_value());
  }
  SenderKeyDistribution half = Sample();
  half.previous_final_iteration = 4;
  EXPECT_EQ(EncodeSenderKeyDistribution(half).error().code(), Errc::kMissingField);
  EXPECT_EQ(DecodeSenderKeyDistribution({}).error().code(), Errc::kMissingField);
}

TEST_F(GroupWireTest, GroupChangesRoundTripAndBreakNoRule) {
  GroupChangeDigest prev{};
  prev[3] = 9;
  const std::vector<GroupChange> good = {
      {group_, "alice", 1, {}, GroupChangeKind::kCreate, "Book club", Bytes{1, 2}, {"bob", "carol"}},
      {group_, "alice", 2, prev, GroupChangeKind::kAdd, {}, {}, {"dave"}},
      {group_, "alice", 3, prev, GroupChangeKind::kRemove, {}, {}, {"carol", "dave"}},
      {group_, "alice", 4, prev, GroupChangeKind::kLeave, {}, {}, {}},
      {group_, "alice", 5, prev, GroupChangeKind::kRename, "Reading group", {}, {}},
      {group_, "alice", 6, prev, GroupChangeKind::kMakeAdmin, {}, {}, {"bob"}},
  };
  for (const GroupChange& c : good) {
    auto bytes = EncodeGroupChange(c);
    ASSERT_TRUE(bytes.has_value()) << bytes.error().message();
    auto back = DecodeGroupChange(*bytes);
    ASSERT_TRUE(back.has_value()) << back.error().message();
    EXPECT_EQ(back->kind, c.kind);
    EXPECT_EQ(back->epoch, c.epoch);
    EXPECT_EQ(back->accounts, c.accounts);
    EXPECT_EQ(back->name, c.name);
    EXPECT_EQ(back->avatar, c.avatar);
    EXPECT_EQ(DigestGroupChange(*bytes), DigestGroupChange(*EncodeGroupChange(*back)));
    // A group change is no distribution, and no text.
    EXPECT_FALSE(DecodeSenderKeyDistribution(*bytes).has_value());
    EXPECT_FALSE(DecodeContentText(*bytes).has_value());
  }
  auto refused = [](GroupChange c) { return EncodeGroupChange(c).error().code(); };
  EXPECT_EQ(refused({group_, "alice", 2, {}, GroupChangeKind::kCreate, "x", {}, {}}), Errc::kFieldOutOfRange);
  EXPECT_EQ(refused({group_, "alice", 1, {}, GroupChangeKind::kRename, "x", {}, {}}), Errc::kFieldOutOfRange);
  EXPECT_EQ(refused({group_, "alice", 0, prev, GroupChangeKind::kLeave, {}, {}, {}}), Errc::kFieldOutOfRange);
  EXPECT_EQ(refused({group_, "alice", 2, prev, GroupChangeKind::kAdd, {}, {}, {}}), Errc::kMissingField);
  EXPECT_EQ(refused({group_, "alice", 2, prev, GroupChangeKind::kAdd, {}, {}, {"bob", "bob"}}),
            Errc::kFieldOutOfRange);
  EXPECT_EQ(refused({group_, "alice", 2, prev, GroupChangeKind::kAdd, {}, {}, {"dave", "bob"}}),
            Errc::kFieldOutOfRange)
      << "one order only: an author cannot try orders to steer the tie-break";
  EXPECT_EQ(refused({group_, "", 2, prev, GroupChangeKind::kLeave, {}, {}, {}}),
            Errc::kInvalidAccount);
  EXPECT_EQ(refused({group_, "alice", 2, prev, GroupChangeKind::kAdd, {}, {}, {std::string("b\0b", 3)}}),
            Errc::kInvalidAccount);
  EXPECT_EQ(refused({group_, "alice", 2, prev, GroupChangeKind::kRename, "line\nbreak", {}, {}}),
            Errc::kFieldOutOfRange);
  EXPECT_EQ(refused({group_, "alice", 2, prev, GroupChangeKind::kRename, std::string(257, 'n'), {}, {}}),
            Errc::kFieldOutOfRange);
  EXPECT_EQ(refused({group_, "alice", 1, {}, GroupChangeKind::kCreate, "x", Bytes(16 * 1024 + 1), {}}),
            Errc::kFieldOutOfRange);
  std::vector<std::string> many;
  for (int i = 0; i < 257; ++i) many.push_back("m" + std::to_string(1000 + i));
  EXPECT_EQ(refused({group_, "alice", 2, prev, GroupChangeKind::kAdd, {}, {}, many}),
            Errc::kFieldOutOfRange);
  // Both control fields at once, and a leave that says false.
  wire::GroupControl both = Parse(*EncodeGroupChange(good[3]));
  both.mutable_sender_key_distribution()->set_epoch(1);
  EXPECT_EQ(DecodeGroupChange(Serialize(both)).error().code(), Errc::kMissingField);
  wire::GroupControl no_leave = Parse(*EncodeGroupChange(good[3]));
  no_leave.mutable_change()->set_leave(false);
  EXPECT_FALSE(DecodeGroupChange(Serialize(no_leave)).has_value());
}

}  // namespace
}  // namespace candor::protocol
