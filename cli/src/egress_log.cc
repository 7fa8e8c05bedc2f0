#include "egress_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace candor::cli {

std::function<void(const protocol::EgressRecord&)> EgressLog::Observer() {
  if (!path_) return nullptr;
  return [this](const protocol::EgressRecord& r) { records_.push_back(r); };
}

Result<void> EgressLog::Flush() {
  if (!path_ || records_.empty()) return Ok();
  std::string lines;
  for (const auto& r : records_) lines += protocol::EgressRecordToJson(r) + "\n";
  const int fd = ::open(path_->c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error(Errc::kStorageFailed, "cannot open the egress log " + *path_ + ": " + std::strerror(errno));
  }
  // The log says who talked to whom and when: owner-only like every CLI
  // output (files.h), including a log that existed with a wider mode.
  if (::fchmod(fd, 0600) != 0) {
    const int err = errno;
    ::close(fd);
    return Error(Errc::kStorageFailed,
                 "cannot make the egress log " + *path_ + " owner-only: " + std::strerror(err));
  }
  // One write of whole lines with O_APPEND: concurrent commands never
  // interleave inside a record.
  const ssize_t n = ::write(fd, lines.data(), lines.size());
  const bool ok = n == static_cast<ssize_t>(lines.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Error(Errc::kStorageFailed, "cannot append to the egress log " + *path_);
  records_.clear();
  return Ok();
}

}  // namespace candor::cli
