#include "candor/attachment/blob_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "candor/attachment/file_io.h"
#include "candor/crypto/encoding.h"
#include "candor/crypto/franking.h"
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

Result<BlobStore> BlobStore::Open(std::string dir, uint64_t retention_seconds, bool create) {
  if (retention_seconds == 0) {
    return Error(Errc::kInvalidArgument, "a blob store's retention must be at least one second");
  }
  struct stat existing {};
  if (!create && ::stat(dir.c_str(), &existing) != 0) {
    return Error(Errc::kNotFound, "no blob store at " + dir);
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
  const std::string line = "{\"time\":" + std::to_string(now) + ",\"op\":\"" + std::string(op) +
                           "\",\"blob_id\":\"" + ToHex(id) + "\",\"account\":" +
                           JsonString(account) + ",\"bytes\":" + std::to_string(bytes) + "}\n";
  // 0600 like everything else the store writes: the log links accounts.
  const std::string path = dir_ + "/access.log";
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  const bool written = fd >= 0 && ::write(fd, line.data(), line.size()) ==
                                      static_cast<ssize_t>(line.size());
  if (fd >= 0) ::close(fd);
  if (!written) return Error(Errc::kStorageFailed, "cannot append to " + path);
  return Ok();
}

// RFC 3629 UTF-8 (no overlong form, no surrogate, nothing past U+10FFFF):
// the access log is JSON, which must be UTF-8.
static bool IsUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<uint8_t>(s[i]);
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<uint8_t>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// An account as the store records it: candor's rule and UTF-8, or none.
static Result<void> CheckAccountOrEmpty(std::string_view account) {
  if (account.empty()) return Ok();
  if (!IsUtf8(account)) return Error(Errc::kInvalidAccount, "account name is not UTF-8");
  return crypto::CheckAccount(account);
}

Result<void> BlobStore::Put(const BlobId& id, uint64_t blob_size, Source& blob,
                            std::string_view uploader, uint64_t now) {
  CANDOR_RETURN_IF_ERROR(CheckAccountOrEmpty(uploader));
  // From an empty attachment's blob to a 2 GiB one's (the upload request's
  // decoder, protocol/blob_wire.h, is looser: it bounds, the store is exact).
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
  CANDOR_RETURN_IF_ERROR(CheckAccountOrEmpty(fetcher));
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
  // An upload in progress is younger than this; a leftover is older.
  constexpr uint64_t kStaleSeconds = 3600;
  auto stale = [&](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && st.st_mtime >= 0 &&
           now >= static_cast<uint64_t>(st.st_mtime) &&
           now - static_cast<uint64_t>(st.st_mtime) >= kStaleSeconds;
  };
  for (const std::string& name : names) {
    // Leftovers of an interrupted upload (where O_TMPFILE is missing).
    if (name.find(".part-") != std::string::npos) {
      if (stale(dir_ + "/" + name)) ::unlink((dir_ + "/" + name).c_str());
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
    // A blob without its record is one being committed right now, or the
    // leftover of a crash between the two: only the old ones go.
    if (!uploaded_at.has_value() && !stale(PathOf(id, ""))) continue;
    // Record first: without it the blob is no longer served.
    ::unlink(PathOf(id, ".meta").c_str());
    if (::unlink(PathOf(id, "").c_str()) == 0) ++expired;
  }
  return expired;
}

}  // namespace candor::attachment
