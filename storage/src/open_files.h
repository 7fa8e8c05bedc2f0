// Private to storage/: which store files this process has open.
//
// Two Store handles on one file in one process are two SQLite connections
// whose load-modify-commit steps can interleave inside one thread (a
// callback of one running the other), where no lock can order them: the
// second would block on the first's write lock until its busy timeout. So a
// second handle is refused at once (kAlreadyOpen); other processes are
// ordered by SQLite's lock and the busy timeout instead.
#ifndef CANDOR_STORAGE_SRC_OPEN_FILES_H_
#define CANDOR_STORAGE_SRC_OPEN_FILES_H_

#include <sys/types.h>

#include <string>
#include <utility>

#include "candor/crypto/result.h"

namespace candor::storage::internal {

// Held by a Store for as long as it is open; released by the destructor.
class OpenFileClaim {
 public:
  // kAlreadyOpen if this process holds a claim on the same file (by device
  // and inode, so another path to it — a link, "./x" for "x" — is the same
  // file); kNotFound if there is no file at `path`.
  static Result<OpenFileClaim> Claim(const std::string& path);

  OpenFileClaim(OpenFileClaim&& other) noexcept : key_(other.key_), held_(std::exchange(other.held_, false)) {}
  OpenFileClaim& operator=(OpenFileClaim&& other) noexcept;
  OpenFileClaim(const OpenFileClaim&) = delete;
  OpenFileClaim& operator=(const OpenFileClaim&) = delete;
  ~OpenFileClaim();

 private:
  using Key = std::pair<dev_t, ino_t>;
  explicit OpenFileClaim(Key key) : key_(key), held_(true) {}
  void Release();
  Key key_{};
  bool held_ = false;
};

}  // namespace candor::storage::internal

#endif  // CANDOR_STORAGE_SRC_OPEN_FILES_H_
