// The strings of a candor_received, allocated before the store commits.
// A receive commits the message; if copying it out could fail afterwards,
// the caller would be told "error" about a message that is stored (and a
// retry is a duplicate). So the room is taken first, sized from the
// delivery: its sender and text are inside it, so neither can be longer;
// a group id and a group event name have fixed bounds.
// Filling never allocates and cannot fail.
#ifndef CANDOR_CAPI_RECEIVED_SLOT_H_
#define CANDOR_CAPI_RECEIVED_SLOT_H_

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>

#include "candor/candor.h"
#include "candor/client/client.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/sender_key.h"

namespace candor::capi {

class ReceivedSlot {
 public:
  // Throws std::bad_alloc (Call() turns it into CANDOR_ERR_OUT_OF_MEMORY)
  // before anything is stored.
  explicit ReceivedSlot(size_t delivery_size)
      : from_(Allocate(std::min(delivery_size, kMaxAccountBytes))),
        text_(Allocate(std::min(delivery_size, kMaxContentBytes))),
        from_room_(std::min(delivery_size, kMaxAccountBytes)),
        text_room_(std::min(delivery_size, kMaxContentBytes)),
        group_(Allocate(kGroupIdHex)),
        event_(Allocate(kEventRoom)) {}

  // Moves the message into `out`, which then owns the strings. A string
  // that does not fit (it cannot, by the argument above) is left NULL
  // rather than failing after the commit.
  void Fill(candor_received* out, const client::ReceivedMessage& m) noexcept {
    out->message_id = m.message_id;
    out->server_time = m.server_time;
    out->from = Take(from_, from_room_, m.from);
    out->text = Take(text_, text_room_, m.text);
    out->group_id = m.group ? TakeHex(group_, *m.group) : nullptr;
    out->group_event =
        m.group_event.empty() ? nullptr : Take(event_, kEventRoom, m.group_event);
  }

 private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  using Buffer = std::unique_ptr<char, Free>;

  static Buffer Allocate(size_t room) {
    Buffer b(static_cast<char*>(std::malloc(room + 1)));
    if (!b) throw std::bad_alloc();
    return b;
  }
  static char* Take(Buffer& buffer, size_t room, std::string_view s) noexcept {
    if (s.size() > room) return nullptr;
    std::memcpy(buffer.get(), s.data(), s.size());
    buffer.get()[s.size()] = '\0';
    return buffer.release();
  }

  // A group id in hex; the longest group event name ("already_applied"…).
  static constexpr size_t kGroupIdHex = 2 * crypto::kGroupIdBytes;
  static constexpr size_t kEventRoom = 32;

  // Lowercase hex, as client::GroupIdToHex, without allocating.
  static char* TakeHex(Buffer& buffer, const crypto::GroupId& id) noexcept {
    static constexpr char kDigits[] = "0123456789abcdef";
    for (size_t i = 0; i < id.size(); ++i) {
      buffer.get()[2 * i] = kDigits[id[i] >> 4];
      buffer.get()[2 * i + 1] = kDigits[id[i] & 0x0f];
    }
    buffer.get()[2 * id.size()] = '\0';
    return buffer.release();
  }

  Buffer from_, text_;
  size_t from_room_, text_room_;
  Buffer group_, event_;
};

}  // namespace candor::capi

#endif  // CANDOR_CAPI_RECEIVED_SLOT_H_
