#include "open_files.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

namespace candor::storage::internal {
namespace {

// Function-local statics: no initialisation-order issue, never destroyed
// before a Store that outlives main's locals.
std::mutex& Mutex() {
  static std::mutex* m = new std::mutex;
  return *m;
}
std::set<std::pair<dev_t, ino_t>>& Claimed() {
  static auto* s = new std::set<std::pair<dev_t, ino_t>>;
  return *s;
}

}  // namespace

Result<OpenFileClaim> OpenFileClaim::Claim(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Error(Errc::kNotFound, "no store at that path");
    return Error(Errc::kStorageFailed, std::string("stat of the store: ") + std::strerror(errno));
  }
  const Key key{st.st_dev, st.st_ino};
  std::lock_guard lock(Mutex());
  if (!Claimed().insert(key).second) {
    return Error(Errc::kAlreadyOpen,
                 "this store is already open in this process: use that handle (one Store or "
                 "Client per store file per process)");
  }
  return OpenFileClaim(key);
}

OpenFileClaim& OpenFileClaim::operator=(OpenFileClaim&& other) noexcept {
  if (this != &other) {
    Release();
    key_ = other.key_;
    held_ = std::exchange(other.held_, false);
  }
  return *this;
}

OpenFileClaim::~OpenFileClaim() { Release(); }

void OpenFileClaim::Release() {
  if (!held_) return;
  std::lock_guard lock(Mutex());
  Claimed().erase(key_);
  held_ = false;
}

}  // namespace candor::storage::internal
