// Sources and sinks over files and memory, for the CLI, the blob store and
// tests. AtomicFileSink is the "nothing half-written at the destination"
// rule: bytes go to an unnamed file (O_TMPFILE) in the destination's
// directory, which gets its name only on Commit (fsync, linkat — never over
// an existing file unless `replace` — fsync of the directory); a crash or a
// signal before that leaves nothing. Where the file system has no O_TMPFILE,
// a named "<destination>.part-XXXXXX" (0600) is used instead and removed
// unless committed; a crash then leaves it, and BlobStore::Expire sweeps
// its own.
#ifndef CANDOR_ATTACHMENT_FILE_IO_H_
#define CANDOR_ATTACHMENT_FILE_IO_H_

#include <cstdio>
#include <memory>
#include <string>

#include "candor/attachment/blob.h"

namespace candor::attachment {

class FileSource final : public Source {
 public:
  // kNotFound when the file does not exist, kStorageFailed otherwise.
  static Result<std::unique_ptr<FileSource>> Open(const std::string& path);
  ~FileSource() override;
  Result<size_t> Read(std::span<uint8_t> buffer) override;
  // The file's size when opened.
  uint64_t size() const { return size_; }

 private:
  FileSource(std::FILE* file, uint64_t size) : file_(file), size_(size) {}
  std::FILE* file_;
  uint64_t size_;
};

class AtomicFileSink final : public Sink {
 public:
  // kAlreadyExists when `path` exists (nothing is overwritten) unless
  // `replace`; kStorageFailed when the temporary file cannot be made.
  static Result<std::unique_ptr<AtomicFileSink>> Create(const std::string& path,
                                                        bool replace = false);
  // Removes the temporary file unless committed.
  ~AtomicFileSink() override;
  Result<void> Write(ByteView bytes) override;
  Result<void> Commit();

 private:
  AtomicFileSink(std::string path, std::string temp, std::FILE* file, bool replace)
      : path_(std::move(path)), temp_(std::move(temp)), file_(file), replace_(replace) {}
  std::string path_;
  std::string temp_;
  std::FILE* file_;
  bool replace_;
  bool committed_ = false;
};

class MemorySource final : public Source {
 public:
  explicit MemorySource(ByteView bytes) : bytes_(bytes) {}
  // The source only views its bytes; a temporary would be gone before the
  // first Read, so refuse one at compile time.
  explicit MemorySource(Bytes&&) = delete;
  Result<size_t> Read(std::span<uint8_t> buffer) override;

 private:
  ByteView bytes_;
  size_t offset_ = 0;
};

class MemorySink final : public Sink {
 public:
  Result<void> Write(ByteView bytes) override {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    return Ok();
  }
  Bytes& bytes() { return bytes_; }

 private:
  Bytes bytes_;
};

// Counts and drops what it is given (a moderator's check needs no copy).
class DiscardSink final : public Sink {
 public:
  Result<void> Write(ByteView bytes) override {
    count_ += bytes.size();
    return Ok();
  }
  uint64_t count() const { return count_; }

 private:
  uint64_t count_ = 0;
};

}  // namespace candor::attachment

#endif  // CANDOR_ATTACHMENT_FILE_IO_H_
