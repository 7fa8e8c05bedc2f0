// Attachments through candor::Client over real stores, the reference relay
// and the reference blob store: send and open (one-to-one and in a group),
// what the blob store and the egress guard see, every way an attachment can
// be wrong at the recipient, cancellation leaving nothing at the
// destination, and reports — verified, forged (swapped bytes in the store,
// a second opening, an edited pointer) and unavailable (expired).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "candor/attachment/blob_store.h"
#include "candor/attachment/file_io.h"
#include "candor/crypto/encoding.h"
#include "candor/crypto/hash.h"
#include "candor/protocol/blob_wire.h"
#include "candor/protocol/relay.h"
#include "candor/protocol/report_wire.h"
#include "candor/protocol/session.h"
#include "candor/protocol/wire.h"
#include "candor/report/report.h"
#include "candor/report/verifier.h"
#include "support/client_world.h"
#include "support/crafted_sender.h"
#include "support/session_pair.h"

namespace candor {
namespace {

namespace fs = std::filesystem;
using attachment::MemorySink;
using attachment::MemorySource;
using client::Client;
using client::SealedAttachment;

Bytes Photo(size_t n, uint8_t seed = 1) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 131 + seed);
  return b;
}

class AttachmentClientTest : public testing::ClientWorld {
 protected:
  AttachmentClientTest() {
    auto s = attachment::BlobStore::Open(tmp_.File("blobs"), /*retention=*/1000);
    EXPECT_TRUE(s.has_value());
    store_.emplace(std::move(s).value());
  }
  // Seals `plain` with `from` and uploads the blob as the client said.
  SealedAttachment Seal(Client& from, const Bytes& plain, client::AttachmentMeta meta = {}) {
    MemorySource in(plain);
    MemorySink blob;
    auto sealed = from.SealAttachment(in, plain.size(), blob, meta);
    EXPECT_TRUE(sealed.has_value()) << sealed.error().message();
    auto upload = protocol::DecodeBlobUpload(sealed->upload().bytes);
    EXPECT_TRUE(upload.has_value());
    EXPECT_EQ(sealed->upload().channel, client::Channel::kBlobStore);
    EXPECT_EQ(upload->blob_id, sealed->blob_id());
    EXPECT_EQ(upload->blob_size, blob.bytes().size());
    MemorySource up(blob.bytes());
    EXPECT_TRUE(store_->Put(upload->blob_id, upload->blob_size, up, from.account(),
                            clock_.NowSeconds()).has_value());
    blobs_[sealed->blob_id()] = blob.bytes();
    return std::move(sealed).value();
  }
  // Opens attachment `index` of bob's message `id` from the store.
  Result<Bytes> Open(Client& c, int64_t id, size_t index = 0) {
    CANDOR_ASSIGN_OR_RETURN(client::OutgoingItem request, c.FetchAttachment(id, index));
    EXPECT_EQ(request.channel, client::Channel::kBlobStore);
    CANDOR_ASSIGN_OR_RETURN(attachment::BlobId blob_id, protocol::DecodeBlobFetch(request.bytes));
    CANDOR_ASSIGN_OR_RETURN(auto source, store_->Get(blob_id, c.account(), clock_.NowSeconds()));
    MemorySink out;
    CANDOR_RETURN_IF_ERROR(c.OpenAttachment(id, index, *source, out));
    return std::move(out.bytes());
  }
  // alice -> bob with `attachments`; returns bob's message id.
  int64_t SendToBob(const std::string& text, const std::vector<SealedAttachment>& attachments) {
    if (!started_) {
      EXPECT_TRUE(bob_->Receive(SendFirst(*alice_, *bob_, "hi")).has_value());
      started_ = true;
    }
    auto sent = alice_->Send("bob", text, attachments);
    EXPECT_TRUE(sent.has_value()) << sent.error().message();
    if (!sent.has_value()) return 0;
    auto got = bob_->Receive(Relay(*alice_, *sent));
    EXPECT_TRUE(got.has_value()) << got.error().message();
    return got.has_value() ? got->message_id : 0;
  }
  report::AttachmentAccess Access(std::string save_dir = {}) {
    report::AttachmentAccess access;
    access.fetch = [this](const attachment::BlobId& id) {
      return store_->Get(id, "moderation", clock_.NowSeconds());
    };
    access.save_dir = std::move(save_dir);
    return access;
  }
  Result<report::VerifiedReport> ReportAndVerify(int64_t id, const report::AttachmentAccess* a) {
    CANDOR_ASSIGN_OR_RETURN(auto preview, bob_->PrepareReport("alice", id, protocol::ReportReason::kOther));
    CANDOR_ASSIGN_OR_RETURN(auto submitted, bob_->SubmitReport(preview, moderator_.public_key()));
    return verifier_.Verify(submitted.report.bytes, a);
  }
  std::string BlobPath(const attachment::BlobId& id) { return tmp_.File("blobs") + "/" + ToHex(id); }

  std::optional<Client> alice_{Make("alice", 1)}, bob_{Make("bob", 2)};
  std::optional<attachment::BlobStore> store_;
  std::map<attachment::BlobId, Bytes> blobs_;
  bool started_ = false;
  crypto::X25519KeyPair moderator_ = crypto::X25519KeyPair::Generate(rng_);
  report::Verifier verifier_{moderator_.Clone(), relay_key_.Clone()};
};

TEST_F(AttachmentClientTest, SendReceiveAndOpenEveryShape) {
  const Bytes big = Photo(3 * 65536 + 5);       // several chunks
  const Bytes exact = Photo(65536, 9);          // an exact chunk
  const Bytes empty;                            // an empty file
  std::vector<SealedAttachment> list;
  list.push_back(Seal(*alice_, big, {"image/jpeg", "beach.jpg", Bytes(200, 0x33)}));
  list.push_back(Seal(*alice_, exact, {"video/mp4", "", {}}));
  list.push_back(Seal(*alice_, empty, {}));
  const int64_t id = SendToBob("three files", list);
  ASSERT_NE(id, 0);
  auto shown = bob_->Attachments(id);
  ASSERT_TRUE(shown.has_value());
  ASSERT_EQ(shown->size(), 3u);
  EXPECT_EQ((*shown)[0].file_name, "beach.jpg");
  EXPECT_EQ((*shown)[0].media_type, "image/jpeg");
  EXPECT_EQ((*shown)[0].thumbnail, Bytes(200, 0x33));
  EXPECT_EQ((*shown)[0].length, big.size());
  EXPECT_EQ((*shown)[0].blob_size, blobs_[(*shown)[0].blob_id].size());
  EXPECT_EQ(*Open(*bob_, id, 0), big);
  EXPECT_EQ(*Open(*bob_, id, 1), exact);
  EXPECT_EQ(*Open(*bob_, id, 2), empty);
  // The sender's copy opens too, and history lists the attachments.
  auto mine = alice_->History("bob", 1);
  ASSERT_EQ(mine->back().attachments.size(), 3u);
  EXPECT_EQ(*Open(*alice_, mine->back().id, 0), big);
  EXPECT_EQ(bob_->History("alice", 1)->back().attachments.size(), 3u);
  EXPECT_EQ(bob_->Attachments(id - 1)->size(), 0u) << "the text message has none";
}

TEST_F(AttachmentClientTest, AnAttachmentAloneIsAMessage) {
  std::vector<SealedAttachment> list;
  list.push_back(Seal(*alice_, Photo(10)));
  const int64_t id = SendToBob("", list);
  ASSERT_NE(id, 0);
  EXPECT_EQ(bob_->History("alice", 1)->back().text, "");
  EXPECT_EQ(*Open(*bob_, id), Photo(10));
}

TEST_F(AttachmentClientTest, BadMetadataOrTooManyAreRefusedAndNothingIsStored) {
  const Bytes photo = Photo(10);
  MemorySource in(photo);
  MemorySink blob;
  auto bad = alice_->SealAttachment(in, 10, blob, {"image/png", "../../etc/passwd", {}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), Errc::kFieldOutOfRange);
  EXPECT_TRUE(blob.bytes().empty()) << "refused before any byte was sealed";
  ASSERT_NE(SendToBob("first", {}), 0);
  std::vector<SealedAttachment> many;
  for (size_t i = 0; i <= kMaxAttachmentsPerMessage; ++i) many.push_back(Seal(*alice_, Photo(3)));
  const size_t before = alice_->History("bob", 100)->size();
  auto refused = alice_->Send("bob", "", many);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(alice_->History("bob", 100)->size(), before);
  // A source shorter than announced.
  MemorySource short_in(photo);
  MemorySink short_blob;
  EXPECT_EQ(alice_->SealAttachment(short_in, 11, short_blob).error().code(), Errc::kTruncated);
}

TEST_F(AttachmentClientTest, TheRecipientRefusesEveryWrongBlobAndWritesNothing) {
  std::vector<SealedAttachment> list;
  list.push_back(Seal(*alice_, Photo(150000)));
  list.push_back(Seal(*alice_, Photo(150000, 4)));  // the same size, another blob
  list.push_back(Seal(*alice_, Photo(1000, 4)));
  const int64_t id = SendToBob("three", list);
  const Bytes& blob = blobs_[list[0].blob_id()];
  auto open_with = [&](Bytes bytes) {
    MemorySource in(bytes);
    MemorySink out;
    return bob_->OpenAttachment(id, 0, in, out);
  };
  EXPECT_TRUE(open_with(blob).has_value());
  // Another blob of the same size opens under no key but its own; a
  // shorter one ends early.
  EXPECT_EQ(open_with(blobs_[list[1].blob_id()]).error().code(), Errc::kDecryptFailed);
  EXPECT_EQ(open_with(blobs_[list[2].blob_id()]).error().code(), Errc::kTruncated);
  // Truncated, a flipped byte in the first and in the last chunk, chunks
  // swapped, bytes after the end.
  EXPECT_EQ(open_with(Bytes(blob.begin(), blob.end() - 100)).error().code(), Errc::kTruncated);
  for (size_t at : {size_t{30}, blob.size() - 5}) {
    Bytes flipped = blob;
    flipped[at] ^= 0x01;
    EXPECT_EQ(open_with(flipped).error().code(), Errc::kDecryptFailed) << at;
  }
  Bytes swapped = blob;
  const size_t chunk = 65536 + 17;
  std::swap_ranges(swapped.begin() + 24, swapped.begin() + 24 + chunk, swapped.begin() + 24 + chunk);
  EXPECT_EQ(open_with(swapped).error().code(), Errc::kDecryptFailed);
  Bytes longer = blob;
  longer.push_back(0);
  EXPECT_FALSE(open_with(longer).has_value());
  EXPECT_EQ(bob_->FetchAttachment(id, 3).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(bob_->FetchAttachment(id + 100, 0).error().code(), Errc::kNotFound);
}

TEST_F(AttachmentClientTest, CancellingAnOpenLeavesNoFile) {
  std::vector<SealedAttachment> list;
  list.push_back(Seal(*alice_, Photo(5 * 65536)));
  const int64_t id = SendToBob("big", list);
  const std::string dest = tmp_.File("saved.bin");
  {
    MemorySource in(blobs_[list[0].blob_id()]);
    auto sink = attachment::AtomicFileSink::Create(dest);
    ASSERT_TRUE(sink.has_value());
    int calls = 0;
    auto opened = bob_->OpenAttachment(id, 0, in, **sink,
                                       [&](uint64_t, uint64_t) { return ++calls < 3; });
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().code(), Errc::kCancelled);
  }
  EXPECT_FALSE(fs::exists(dest));
  for (const auto& e : fs::directory_iterator(tmp_.path())) {
    EXPECT_EQ(e.path().string().find(".part-"), std::string::npos) << e.path();
  }
}

TEST_F(AttachmentClientTest, ReportsVerifyTheAttachmentTheSenderSent) {
  std::vector<SealedAttachment> list;
  const Bytes photo = Photo(100000);
  list.push_back(Seal(*alice_, photo, {"image/png", "beach.png", {}}));
  const int64_t id = SendToBob("look", list);
  // The preview names it.
  auto preview = bob_->PrepareReport("alice", id, protocol::ReportReason::kOther);
  ASSERT_TRUE(preview.has_value());
  auto json = protocol::ReportPreviewToJson(*preview, false);
  ASSERT_TRUE(json.has_value());
  EXPECT_NE(json->find("\"file_name\":\"beach.png\""), std::string::npos) << *json;
  EXPECT_NE(json->find("\"blob_id\":\"" + ToHex(list[0].blob_id()) + "\""), std::string::npos);
  // An edited description is refused on import.
  std::string edited = *json;
  edited.replace(edited.find("beach.png"), 9, "kitty.png");
  EXPECT_FALSE(protocol::ReportPreviewFromJson(edited).has_value());

  fs::create_directories(tmp_.File("seen"));
  const report::AttachmentAccess access = Access(tmp_.File("seen"));
  auto verified = ReportAndVerify(id, &access);
  ASSERT_TRUE(verified.has_value()) << verified.error().message();
  EXPECT_EQ(verified->verdict, report::Verdict::kVerified) << verified->why;
  const auto& a = verified->messages.back().attachments;
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].verdict, report::AttachmentVerdict::kVerified) << a[0].why;
  EXPECT_EQ(a[0].saved_as, ToHex(list[0].blob_id()) + "-beach.png");
  std::ifstream saved(tmp_.File("seen") + "/" + a[0].saved_as, std::ios::binary);
  Bytes seen((std::istreambuf_iterator<char>(saved)), std::istreambuf_iterator<char>());
  EXPECT_EQ(seen, photo) << "the moderator sees the bytes the recipient saw";
  // Without the store: not checked, the report still verifies.
  auto unchecked = ReportAndVerify(id, nullptr);
  EXPECT_EQ(unchecked->messages.back().attachments[0].verdict, report::AttachmentVerdict::kNotChecked);
  EXPECT_EQ(unchecked->verdict, report::Verdict::kVerified);
  EXPECT_NE(report::VerifiedReportToJson(*verified).find("\"verdict\":\"verified\""), std::string::npos);
}

TEST_F(AttachmentClientTest, SwappedBytesInTheStoreAreUnavailableNotForgedAndNothingIsSaved) {
  std::vector<SealedAttachment> list;
  list.push_back(Seal(*alice_, Photo(70000)));
  list.push_back(Seal(*alice_, Photo(70000, 5)));
  const int64_t id = SendToBob("look", list);
  // A store (or whoever fills it) that serves the second blob's bytes under
  // the first one's id.
  fs::copy_file(BlobPath(list[1].blob_id()), BlobPath(list[0].blob_id()),
                fs::copy_options::overwrite_existing);
  fs::create_directories(tmp_.File("seen"));
  const report::AttachmentAccess access = Access(tmp_.File("seen"));
  auto verified = ReportAndVerify(id, &access);
  ASSERT_TRUE(verified.has_value());
  const auto& a = verified->messages.back().attachments;
  // The store's doing, not the sender's and not the reporter's: the bytes
  // served do not hash to the blob id.
  EXPECT_EQ(a[0].verdict, report::AttachmentVerdict::kUnavailable);
  EXPECT_NE(a[0].why.find("not this blob"), std::string::npos) << a[0].why;
  EXPECT_EQ(a[1].verdict, report::AttachmentVerdict::kVerified);
  EXPECT_EQ(verified->verdict, report::Verdict::kVerified)
      << "a store cannot make a genuine report forged";
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(tmp_.File("seen"))) files.push_back(e.path().filename());
  ASSERT_EQ(files.size(), 1u) << "only the verified one is kept; no partial file";
  EXPECT_EQ(files[0], a[1].saved_as);
}

TEST_F(AttachmentClientTest, AnExpiredBlobIsUnavailableNotForged) {
  std::vector<SealedAttachment> list;
  list.push_back(Seal(*alice_, Photo(500)));
  const int64_t id = SendToBob("look", list);
  clock_.Advance(2000);  // past the store's retention
  const report::AttachmentAccess access = Access();
  auto verified = ReportAndVerify(id, &access);
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->messages.back().attachments[0].verdict, report::AttachmentVerdict::kUnavailable);
  EXPECT_EQ(verified->verdict, report::Verdict::kVerified) << "the message itself still verifies";
}

// A modified sender's pointer names a digest other than its blob's
// plaintext: what a second opening of one blob under another key looks like
// (secretstream is not key-committing). The recipient refuses to open it;
// the moderator sees the sender's own bytes fail — broken_by_sender — and
// the report stays verified: a sender cannot discredit reports about it by
// attaching a broken file to its messages.
TEST_F(AttachmentClientTest, ASecondOpeningIsCaughtByTheDigest) {
  ASSERT_TRUE(bob_->Receive(SendFirst(*alice_, *bob_, "hi")).has_value());
  started_ = true;
  testing::TestDevice mallory{rng_, "mallory"};
  auto bundle = bob_->PublishBundle();
  auto session = protocol::Session::Initiate(mallory.identity, "mallory",
                                             *protocol::DecodePrekeyBundle(bundle->bytes), rng_);
  ASSERT_TRUE(session.has_value());
  {  // a genuine first message opens the session at bob's
    auto first = session->Encrypt("hello", rng_);
    clock_.Advance(1);
    auto r = protocol::RelayEnvelope(relay_key_, first->envelope, clock_.NowSeconds());
    ASSERT_TRUE(bob_->Receive(r->delivery).has_value());
  }
  const Bytes shown = Photo(4000, 2);     // what the blob opens to
  const Bytes claimed = Photo(4000, 3);   // what the pointer's digest names
  MemorySource in(shown);
  MemorySink blob;
  auto sealed = attachment::EncryptBlob(in, shown.size(), blob, rng_);
  MemorySource up(blob.bytes());
  ASSERT_TRUE(store_->Put(sealed->blob_id, blob.bytes().size(), up, "mallory", clock_.NowSeconds()).has_value());
  protocol::MessageContent content;
  content.text = "a cat";
  protocol::AttachmentPointer p;
  p.blob_id = sealed->blob_id;
  p.key = sealed->key.Clone();
  p.length = shown.size();
  p.digest = crypto::Blake2b256(claimed);
  content.attachments.push_back(std::move(p));
  auto encoded = protocol::EncodeContent(content);
  ASSERT_TRUE(encoded.has_value());
  auto envelope = testing::CraftEnvelope(*session, *encoded, rng_);
  ASSERT_TRUE(envelope.has_value());
  clock_.Advance(1);
  auto relayed = protocol::RelayEnvelope(relay_key_, *envelope, clock_.NowSeconds());
  auto got = bob_->Receive(relayed->delivery);
  ASSERT_TRUE(got.has_value()) << ErrcName(got.error().code()) << " " << got.error().message();
  EXPECT_EQ(Open(*bob_, got->message_id).error().code(), Errc::kFrankingMismatch);
  auto preview = bob_->PrepareReport("mallory", got->message_id, protocol::ReportReason::kOther);
  auto submitted = bob_->SubmitReport(*preview, moderator_.public_key());
  const report::AttachmentAccess access = Access();
  auto verified = verifier_.Verify(submitted->report.bytes, &access);
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->messages.back().verdict, report::Verdict::kVerified) << "mallory sent it";
  EXPECT_EQ(verified->messages.back().attachments[0].verdict,
            report::AttachmentVerdict::kBrokenBySender)
      << verified->messages.back().attachments[0].why;
  EXPECT_EQ(verified->verdict, report::Verdict::kVerified);
}

// A modified reporter points the reported message at other bytes: the
// commitment no longer opens, so message and attachment are forged.
TEST_F(AttachmentClientTest, AnEditedPointerInAReportIsForged) {
  std::vector<SealedAttachment> list;
  list.push_back(Seal(*alice_, Photo(3000)));
  const int64_t id = SendToBob("look", list);
  auto preview = bob_->PrepareReport("alice", id, protocol::ReportReason::kOther);
  ASSERT_TRUE(preview.has_value());
  protocol::ReportBundle edited{preview->bundle.reporter, preview->bundle.reported,
                                preview->bundle.reason, preview->bundle.created_at, {}};
  for (const auto& m : preview->bundle.messages) edited.messages.push_back(protocol::CopyReportedMessage(m));
  auto content = protocol::DecodeContent(edited.messages.back().content);
  SealedAttachment other = Seal(*bob_, Photo(3000, 8));
  const protocol::AttachmentInfo info = other.info();
  content->attachments[0].blob_id = info.blob_id;
  edited.messages.back().content = *protocol::EncodeContent(*content);
  auto sealed = report::SealReport(edited, moderator_.public_key());
  const report::AttachmentAccess access = Access();
  auto verified = verifier_.Verify(*sealed, &access);
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->messages.back().verdict, report::Verdict::kForged);
  EXPECT_EQ(verified->messages.back().attachments[0].verdict, report::AttachmentVerdict::kForged);
}

TEST_F(AttachmentClientTest, GroupMessagesCarryAttachmentsAndReportsVerifyThem) {
  std::optional<Client> carol{Make("carol", 3)};
  auto bundles = [&] {
    client::Bundles out;
    out["bob"] = bob_->PublishBundle()->bytes;
    out["carol"] = carol->PublishBundle()->bytes;
    return out;
  };
  std::map<std::string, Client*> devices{{"alice", &*alice_}, {"bob", &*bob_}, {"carol", &*carol}};
  auto deliver = [&](Client& from, const client::GroupOperation& op) {
    std::map<std::string, int64_t> ids;
    for (const auto& item : op.envelopes) {
      clock_.Advance(1);
      auto r = protocol::RelayEnvelope(relay_key_, item.bytes, clock_.NowSeconds());
      EXPECT_TRUE(devices.at(r->envelope.recipient)->Receive(r->delivery).has_value());
    }
    if (op.group_envelope) {
      clock_.Advance(1);
      auto r = protocol::RelayGroupEnvelope(relay_key_, op.group_envelope->bytes, clock_.NowSeconds());
      for (const auto& [to, d] : r->deliveries) {
        auto got = devices.at(to)->Receive(d);
        EXPECT_TRUE(got.has_value()) << got.error().message();
        if (got.has_value()) ids[to] = got->message_id;
      }
      EXPECT_TRUE(from.HandleAck(r->ack).has_value());
    }
    return ids;
  };
  auto created = alice_->CreateGroup("Photos", {}, {"bob", "carol"}, bundles());
  ASSERT_TRUE(created.has_value()) << created.error().message();
  deliver(*alice_, *created);
  std::vector<SealedAttachment> list;
  const Bytes photo = Photo(90000);
  list.push_back(Seal(*alice_, photo, {"image/jpeg", "group.jpg", {}}));
  auto sent = alice_->SendGroup(created->group, "for all", list);
  ASSERT_TRUE(sent.has_value()) << sent.error().message();
  auto ids = deliver(*alice_, *sent);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(*Open(*bob_, ids["bob"]), photo);
  EXPECT_EQ(*Open(*carol, ids["carol"]), photo);
  EXPECT_EQ(bob_->GroupHistory(created->group, 1)->back().attachments.size(), 1u);
  auto preview = bob_->PrepareGroupReport(created->group, ids["bob"], protocol::ReportReason::kOther);
  ASSERT_TRUE(preview.has_value());
  auto submitted = bob_->SubmitReport(*preview, moderator_.public_key());
  const report::AttachmentAccess access = Access();
  auto verified = verifier_.Verify(submitted->report.bytes, &access);
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->verdict, report::Verdict::kVerified) << verified->why;
  EXPECT_EQ(verified->messages.back().attachments[0].verdict, report::AttachmentVerdict::kVerified);
}

// A transfer that breaks off, or a moderator's disk that fills up, is
// nobody's forgery: unavailable, and the check goes on without the file.
TEST_F(AttachmentClientTest, FetchAndSaveFailuresNeverForgeAReport) {
  std::vector<SealedAttachment> list;
  list.push_back(Seal(*alice_, Photo(200000)));
  const int64_t id = SendToBob("look", list);
  class Breaking final : public attachment::Source {
   public:
    explicit Breaking(Bytes bytes) : bytes_(std::move(bytes)) {}
    Result<size_t> Read(std::span<uint8_t> buffer) override {
      if (at_ > 70000) return Error(Errc::kStorageFailed, "connection reset");
      const size_t n = std::min(buffer.size(), bytes_.size() - at_);
      std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(at_), n, buffer.begin());
      at_ += n;
      return n;
    }

   private:
    Bytes bytes_;
    size_t at_ = 0;
  };
  report::AttachmentAccess broken;
  broken.fetch = [&](const attachment::BlobId& blob) -> Result<std::unique_ptr<attachment::Source>> {
    return std::unique_ptr<attachment::Source>(new Breaking(blobs_[blob]));
  };
  auto verified = ReportAndVerify(id, &broken);
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->messages.back().attachments[0].verdict, report::AttachmentVerdict::kUnavailable);
  EXPECT_EQ(verified->verdict, report::Verdict::kVerified);
  // A save directory that does not exist: verified all the same, not saved.
  const report::AttachmentAccess nowhere = Access(tmp_.File("no/such/dir"));
  auto unsaved = ReportAndVerify(id, &nowhere);
  const auto& a = unsaved->messages.back().attachments[0];
  EXPECT_EQ(a.verdict, report::AttachmentVerdict::kVerified) << a.why;
  EXPECT_TRUE(a.saved_as.empty());
  EXPECT_NE(a.why.find("not saved"), std::string::npos) << a.why;
}

// The reporter's own message that the relay never acknowledged: its
// attachment opens, but no more than its message is it verified.
TEST_F(AttachmentClientTest, AnUnverifiableMessagesAttachmentIsUnverifiable) {
  ASSERT_NE(SendToBob("first", {}), 0);
  std::vector<SealedAttachment> list;
  list.push_back(Seal(*bob_, Photo(500)));
  auto sent = bob_->Send("alice", "mine", list);
  ASSERT_TRUE(sent.has_value());
  Relay(*bob_, *sent, /*ack=*/false);
  const report::AttachmentAccess access = Access();
  auto verified = ReportAndVerify(sent->message_id, &access);
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->messages.back().verdict, report::Verdict::kUnverifiable);
  EXPECT_EQ(verified->messages.back().attachments[0].verdict,
            report::AttachmentVerdict::kUnverifiable);
}

}  // namespace
}  // namespace candor
