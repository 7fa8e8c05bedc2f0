#include "candor/attachment/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

namespace candor::attachment {

namespace {

Error FileError(std::string_view what, const std::string& path) {
  return Error(Errc::kStorageFailed,
               std::string(what) + " " + path + ": " + std::strerror(errno));
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A rename is durable once its directory is synced.
void SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<std::unique_ptr<FileSource>> FileSource::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rbe");
  if (file == nullptr) {
    if (errno == ENOENT) return Error(Errc::kNotFound, "no file " + path);
    return FileError("cannot open", path);
  }
  struct stat st {};
  if (::fstat(::fileno(file), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fclose(file);
    return Error(Errc::kStorageFailed, path + " is not a regular file");
  }
  return std::unique_ptr<FileSource>(new FileSource(file, static_cast<uint64_t>(st.st_size)));
}

FileSource::~FileSource() { std::fclose(file_); }

Result<size_t> FileSource::Read(std::span<uint8_t> buffer) {
  const size_t n = std::fread(buffer.data(), 1, buffer.size(), file_);
  if (n < buffer.size() && std::ferror(file_)) {
    return Error(Errc::kStorageFailed, std::string("read failed: ") + std::strerror(errno));
  }
  return n;
}

namespace {

// An unnamed file in `dir` (O_TMPFILE): it gets a name only at Commit, so
// a crash or a signal leaves nothing behind. -1 where the file system or
// the kernel cannot (then a named temporary file is used), or where
// /proc/self/fd, which linkat needs to name it, is missing.
int OpenUnnamed(const std::string& dir) {
#ifdef O_TMPFILE
  if (::access("/proc/self/fd", X_OK) != 0) return -1;
  return ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
#else
  (void)dir;
  return -1;
#endif
}

// A fresh name beside `path` for a temporary file.
std::string TempName(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return path + ".part-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

Result<std::unique_ptr<AtomicFileSink>> AtomicFileSink::Create(const std::string& path,
                                                               bool replace) {
  struct stat st {};
  if (!replace && ::lstat(path.c_str(), &st) == 0) {
    return Error(Errc::kAlreadyExists, path + " exists; candor does not overwrite it");
  }
  std::string temp;
  int fd = OpenUnnamed(DirectoryOf(path));
  if (fd < 0) {
    temp = path + ".part-XXXXXX";
    fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) return FileError("cannot create a temporary file beside", path);
  }
  std::FILE* file = ::fdopen(fd, "wb");
  if (file == nullptr) {
    ::close(fd);
    if (!temp.empty()) ::unlink(temp.c_str());
    return FileError("cannot open a temporary file beside", path);
  }
  return std::unique_ptr<AtomicFileSink>(new AtomicFileSink(path, std::move(temp), file, replace));
}

AtomicFileSink::~AtomicFileSink() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

Result<void> AtomicFileSink::Write(ByteView bytes) {
  if (file_ == nullptr) return Error(Errc::kInvalidState, "the file was committed already");
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return FileError("cannot write beside", path_);
  }
  return Ok();
}

Result<void> AtomicFileSink::Commit() {
  if (file_ == nullptr) return Error(Errc::kInvalidState, "the file was committed already");
  const bool flushed = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  if (!flushed) {
    std::fclose(file_);
    file_ = nullptr;
    return FileError("cannot write beside", path_);
  }
  if (temp_.empty()) {
    // Unnamed: give it a name — the destination itself (link fails rather
    // than replace), or a temporary one to rename over it.
    const std::string proc = "/proc/self/fd/" + std::to_string(::fileno(file_));
    const std::string name = replace_ ? TempName(path_) : path_;
    const int linked = ::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW);
    std::fclose(file_);
    file_ = nullptr;
    if (linked != 0) {
      if (errno == EEXIST) {
        return Error(Errc::kAlreadyExists, path_ + " exists; candor does not overwrite it");
      }
      return FileError("cannot create", path_);
    }
    if (replace_ && ::rename(name.c_str(), path_.c_str()) != 0) {
      ::unlink(name.c_str());
      return FileError("cannot rename onto", path_);
    }
  } else {
    std::fclose(file_);
    file_ = nullptr;
    if (!replace_) {
      // link() fails if the destination appeared meanwhile: never overwrite.
      if (::link(temp_.c_str(), path_.c_str()) != 0) {
        if (errno == EEXIST) {
          return Error(Errc::kAlreadyExists, path_ + " exists; candor does not overwrite it");
        }
        return FileError("cannot create", path_);
      }
      ::unlink(temp_.c_str());
    } else if (::rename(temp_.c_str(), path_.c_str()) != 0) {
      return FileError("cannot rename onto", path_);
    }
  }
  committed_ = true;
  SyncDirectory(DirectoryOf(path_));
  return Ok();
}

Result<size_t> MemorySource::Read(std::span<uint8_t> buffer) {
  const size_t n = std::min(buffer.size(), bytes_.size() - offset_);
  std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(offset_), n, buffer.begin());
  offset_ += n;
  return n;
}

}  // namespace candor::attachment
