#include "files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>
#include <utility>


namespace candor::cli {
namespace {


Error IoError(const std::string& what, const std::string& path) {
  const int err = errno;
  if (err == ENOENT) return Error(Errc::kNotFound, path + ": no such file");
  return Error(Errc::kStorageFailed, what + " " + path + ": " + std::strerror(err));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Reads the whole file into the buffer `allocate(size)` returns.
template <typename Allocate>
Result<void> ReadInto(const std::string& path, size_t cap, Allocate allocate) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return IoError("cannot open", path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return IoError("cannot stat", path);
  if (!S_ISREG(st.st_mode)) return Error(Errc::kInvalidArgument, path + " is not a regular file");
  if (static_cast<uint64_t>(st.st_size) > cap) {
    return Error(Errc::kMessageTooLarge,
                 path + " is larger than " + std::to_string(cap) + " bytes");
  }
  const std::span<uint8_t> span = allocate(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < span.size()) {
    const ssize_t n = ::read(fd.get(), span.data() + done, span.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot read", path);
    if (n == 0) return Error(Errc::kStorageFailed, path + " shrank while being read");
    done += static_cast<size_t>(n);
  }
  return Ok();
}

Result<void> WriteAll(int fd, ByteView bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot write", path);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return IoError("cannot flush", path);
  return Ok();
}

// A temporary file beside `path`, written and flushed; `publish` moves it
// into place. The temporary is removed on any failure.
Result<void> WriteViaTemporary(const std::string& path, ByteView bytes, mode_t mode,
                               bool (*publish)(const char* from, const char* to)) {
  std::string tmp = path + ".tmp.XXXXXX";
  Fd fd(::mkstemp(tmp.data()));
  if (fd.get() < 0) return IoError("cannot create a file beside", path);
  auto cleanup = [&] { ::unlink(tmp.c_str()); };
  if (::fchmod(fd.get(), mode) != 0) {
    cleanup();
    return IoError("cannot set permissions on", tmp);
  }
  if (auto w = WriteAll(fd.get(), bytes, tmp); !w.has_value()) {
    cleanup();
    return w;
  }
  ::close(fd.Release());
  if (!publish(tmp.c_str(), path.c_str())) {
    const int err = errno;
    cleanup();
    if (err == EEXIST) return Error(Errc::kAlreadyExists, path + " already exists");
    errno = err;
    return IoError("cannot write", path);
  }
  return Ok();
}

bool RenameOver(const char* from, const char* to) { return ::rename(from, to) == 0; }

// link() fails with EEXIST instead of replacing: a secret file is never
// overwritten (an existing key may be the only copy).
bool LinkNew(const char* from, const char* to) {
  if (::link(from, to) != 0) return false;
  ::unlink(from);
  return true;
}

}  // namespace

Result<Bytes> ReadInputFile(const std::string& path, size_t cap) {
  Bytes out;
  CANDOR_RETURN_IF_ERROR(ReadInto(path, cap, [&](size_t n) {
    out.resize(n);
    return std::span<uint8_t>(out);
  }));
  return out;
}

Result<SecretBytes> ReadSecretFile(const std::string& path, size_t cap) {
  SecretBytes out;
  CANDOR_RETURN_IF_ERROR(ReadInto(path, cap, [&](size_t n) {
    out.Resize(n);
    return out.Expose();
  }));
  return out;
}

Result<void> WriteOutputFile(const std::string& path, ByteView bytes) {
  return WriteViaTemporary(path, bytes, 0644, RenameOver);
}

Result<void> WriteNewSecretFile(const std::string& path, ByteView bytes) {
  return WriteViaTemporary(path, bytes, 0600, LinkNew);
}

}  // namespace candor::cli
