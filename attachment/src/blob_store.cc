#include "candor/attachment/blob_store.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "candor/attachment/file_io.h"
#include "candor/crypto/encoding.h"
#include "candor/crypto/hash.h"

namespace candor::attachment {

namespace {

// Accounts go into the log as JSON strings; candor's accounts are UTF-8
// without controls, but this store is handed whatever a caller says.
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Hashes what passes through, counts it, and refuses more than expected.
class CheckingSource final : public Source {
 public:
  CheckingSource(Source& inner, uint64_t expected, crypto::Blake2b hash)
      : inner_(inner), expected_(expected), hash_(std::move(hash)) {}
  Result<size_t> Read(std::span<uint8_t> buffer) override {
    CANDOR_ASSIGN_OR_RETURN(size_t n, inner_.Read(buffer));
    count_ += n;
    if (count_ > expected_) {
      return Error(Errc::kMalformed, "the blob is longer than its upload said");
    }
    hash_.Update(ByteView(buffer.data(), n));
    return n;
  }
  uint64_t count() const { return count_; }
  crypto::Blake2b& hash() { return hash_; }

 private:
  Source& inner_;
  uint64_t expected_;
  uint64_t count_ = 0;
  crypto::Blake2b hash_;
};

}  // namespace

Result<BlobStore> BlobStore::Open(std::string dir, uint64_t retention_seconds) {
  if (retention_seconds == 0) {
    return Error(Errc::kInvalidArgument, "a blob store's retention must be at least one second");
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error(Errc::kStorageFailed, "cannot create " + dir + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Error(Errc::kStorageFailed, dir + " is not a directory");
  }
  return BlobStore(std::move(dir), retention_seconds);
}

std::string BlobStore::PathOf(const BlobId& id, std::string_view suffix) const {
  return dir_ + "/" + ToHex(id) + std::string(suffix);
}

Result<void> BlobStore::Log(std::string_view op, const BlobId& id, std::string_view account,
                            uint64_t now, uint64_t bytes) const {
  std::ofstream log(dir_ + "/access.log", std::ios::app);
  log << "{\"time\":" << now << ",\"op\":\"" << op << "\",\"blob_id\":\"" << ToHex(id)
      << "\",\"account\":" << JsonString(account) << ",\"bytes\":" << bytes << "}\n";
  if (!log.good()) return Error(Errc::kStorageFailed, "cannot append to " + dir_ + "/access.log");
  return Ok();
}

Result<void> BlobStore::Put(const BlobId& id, uint64_t blob_size, Source& blob,
                            std::string_view uploader, uint64_t now) {
  // The same bounds as the upload request's decoder (protocol/blob_wire.h).
  if (blob_size < BlobSize(0) || blob_size > BlobSize(kMaxAttachmentBytes)) {
    return Error(Errc::kFieldOutOfRange, "no attachment's blob has this size");
  }
  CANDOR_ASSIGN_OR_RETURN(crypto::Blake2b hash, crypto::Blake2b::Create(32));
  CheckingSource checked(blob, blob_size, std::move(hash));
  CANDOR_ASSIGN_OR_RETURN(auto sink, AtomicFileSink::Create(PathOf(id, ""), /*replace=*/true));
  Bytes buffer(kBlobChunkBytes);
  for (;;) {
    CANDOR_ASSIGN_OR_RETURN(size_t n, checked.Read(buffer));
    if (n == 0) break;
    CANDOR_RETURN_IF_ERROR(sink->Write(ByteView(buffer.data(), n)));
  }
  if (checked.count() != blob_size) {
    return Error(Errc::kMalformed, "the blob is shorter than its upload said");
  }
  const Bytes digest = checked.hash().Final();
  if (!std::equal(digest.begin(), digest.end(), id.begin())) {
    return Error(Errc::kMalformed,
                 "the blob's bytes do not hash to its id (BLAKE2b-256); refused");
  }
  // Blob first, then its record: a crash between them leaves a blob that
  // is not served and that Expire sweeps.
  CANDOR_RETURN_IF_ERROR(sink->Commit());
  {
    CANDOR_ASSIGN_OR_RETURN(auto meta, AtomicFileSink::Create(PathOf(id, ".meta"), true));
    std::string record = std::to_string(now) + " " + std::to_string(blob_size) + "\n";
    CANDOR_RETURN_IF_ERROR(meta->Write(AsBytes(record)));
    CANDOR_RETURN_IF_ERROR(meta->Commit());
  }
  return Log("put", id, uploader, now, blob_size);
}

Result<uint64_t> BlobStore::UploadedAt(const BlobId& id) const {
  std::ifstream meta(PathOf(id, ".meta"));
  uint64_t uploaded_at = 0;
  uint64_t size = 0;
  if (!(meta >> uploaded_at >> size)) return Error(Errc::kNotFound, "the blob store has no such blob");
  return uploaded_at;
}

Result<std::unique_ptr<Source>> BlobStore::Get(const BlobId& id, std::string_view fetcher,
                                               uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(uint64_t uploaded_at, UploadedAt(id));
  if (now >= uploaded_at && now - uploaded_at >= retention_) {
    return Error(Errc::kNotFound, "the blob store no longer has this blob (past its retention)");
  }
  auto source = FileSource::Open(PathOf(id, ""));
  if (!source.has_value()) {
    if (source.error().code() == Errc::kNotFound) {
      return Error(Errc::kNotFound, "the blob store has no such blob");
    }
    return source.error();
  }
  CANDOR_RETURN_IF_ERROR(Log("get", id, fetcher, now, (*source)->size()));
  return std::unique_ptr<Source>(std::move(*source));
}

Result<size_t> BlobStore::Expire(uint64_t now) {
  DIR* d = ::opendir(dir_.c_str());
  if (d == nullptr) return Error(Errc::kStorageFailed, "cannot list " + dir_);
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
  ::closedir(d);
  size_t expired = 0;
  for (const std::string& name : names) {
    // Leftovers of an interrupted upload.
    if (name.find(".part-") != std::string::npos) {
      ::unlink((dir_ + "/" + name).c_str());
      continue;
    }
    if (name.size() != 64) continue;
    auto bytes = FromHex(name);
    if (!bytes.has_value() || bytes->size() != 32) continue;
    BlobId id{};
    std::copy(bytes->begin(), bytes->end(), id.begin());
    auto uploaded_at = UploadedAt(id);
    if (uploaded_at.has_value() && !(now >= *uploaded_at && now - *uploaded_at >= retention_)) {
      continue;
    }
    // Record first: without it the blob is no longer served.
    ::unlink(PathOf(id, ".meta").c_str());
    if (::unlink(PathOf(id, "").c_str()) == 0) ++expired;
  }
  return expired;
}

}  // namespace candor::attachment
