#include "files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>
#include <utility>

#include "args.h"

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

// Standard input has no size to check first: read until the end, refusing
// as soon as it passes the cap.
Result<Bytes> ReadStdin(size_t cap) {
  Bytes out;
  uint8_t chunk[16384];
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot read", "standard input");
    if (n == 0) return out;
    if (static_cast<size_t>(n) > cap - out.size()) {
      return Error(Errc::kMessageTooLarge,
                   "standard input is larger than " + std::to_string(cap) + " bytes");
    }
    out.insert(out.end(), chunk, chunk + n);
  }
}

Result<void> WriteAll(int fd, ByteView bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot write", path);
    done += static_cast<size_t>(n);
  }
  return Ok();
}

Result<void> WriteAllAndSync(int fd, ByteView bytes, const std::string& path) {
  CANDOR_RETURN_IF_ERROR(WriteAll(fd, bytes, path));
  if (::fsync(fd) != 0) return IoError("cannot flush", path);
  return Ok();
}

// Every file the CLI writes is owner-only: previews hold plaintext and
// franking keys, key files hold keys, and the others (envelopes, deliveries,
// acks, bundles, sealed reports) are not secret but tell who talks to whom,
// so one rule covers them all and no caller can pick a wider one. The
// process umask can only narrow it further.
constexpr mode_t kOutputMode = 0600;

// A temporary file beside `path`, written and flushed; `publish` moves it
// into place. The temporary is removed on any failure. An existing file at
// `path` is replaced by this new inode, never rewritten in place, so its old
// (perhaps wider) mode does not carry over.
Result<void> WriteViaTemporary(const std::string& path, ByteView bytes,
                               bool (*publish)(const char* from, const char* to)) {
  std::string tmp = path + ".tmp.XXXXXX";
  Fd fd(::mkstemp(tmp.data()));
  if (fd.get() < 0) return IoError("cannot create a file beside", path);
  auto cleanup = [&] { ::unlink(tmp.c_str()); };
  // mkstemp already creates 0600; say it explicitly rather than rely on
  // that, and never widen it.
  if (::fchmod(fd.get(), kOutputMode) != 0) {
    cleanup();
    return IoError("cannot set permissions on", tmp);
  }
  if (auto w = WriteAllAndSync(fd.get(), bytes, tmp); !w.has_value()) {
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
  if (path == kStdioPath) return ReadStdin(cap);
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
  // A pipe cannot be synced or replaced atomically; the reader sees the
  // bytes in the files' own format, nothing added.
  if (path == kStdioPath) return WriteAll(STDOUT_FILENO, bytes, "standard output");
  return WriteViaTemporary(path, bytes, RenameOver);
}

Result<void> WriteNewSecretFile(const std::string& path, ByteView bytes) {
  return WriteViaTemporary(path, bytes, LinkNew);
}

}  // namespace candor::cli
