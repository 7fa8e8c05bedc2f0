// Private to capi/: what the C ABI's source files share — the handles'
// definitions, the boundary (Call: errors become codes and a thread-local
// message, exceptions never cross), and the conversions between C buffers
// and candor's types.
#ifndef CANDOR_CAPI_SRC_CAPI_INTERNAL_H_
#define CANDOR_CAPI_SRC_CAPI_INTERNAL_H_

#include <new>
#include <string>
#include <string_view>

#include "candor/candor.h"
#include "candor/client/client.h"
#include "candor/crypto/errc.h"

struct candor_client {
  candor::client::Client client;
};

struct candor_attachment {
  candor::client::SealedAttachment sealed;
};

namespace candor::capi {

extern thread_local std::string last_error;

client::Clock& SharedClock();
int Fail(Errc code, std::string message);
int Fail(const Error& error);

// Runs `body` (returning Result<void>) with the boundary's guarantees.
template <typename Body>
int Call(Body body) {
  last_error.clear();
  try {
    Result<void> r = body();
    return r.has_value() ? CANDOR_OK : Fail(r.error());
  } catch (const std::bad_alloc&) {
    return Fail(Errc::kOutOfMemory, "out of memory");
  } catch (...) {
    return Fail(Errc::kInternal, "unexpected exception inside candor");
  }
}

Result<void> Need(bool ok, const char* what);
// malloc'd copies (throw std::bad_alloc, which Call turns into a code).
char* CopyString(std::string_view s);
void Fill(candor_buffer* out, ByteView bytes);

// A 32-byte key from the caller's array (CANDOR_KEY_BYTES), in wiped memory.
SecretArray<32> KeyFrom(const uint8_t key[CANDOR_KEY_BYTES]);
Result<crypto::GroupId> GroupFrom(const char* hex);
// Bundles by the account each names (a bundle that does not decode is
// refused here, before anything is stored).
Result<client::Bundles> BundlesFrom(const candor_buffer* bundles, size_t count);
void FillOperation(candor_group_operation* out, const client::GroupOperation& op);

// Runs a group operation; `out` is zeroed first and freed if filling it
// fails half-way (the operation is stored then: the error says so).
template <typename Op>
Result<void> GroupOperation(candor_group_operation* out, Op op) {
  CANDOR_RETURN_IF_ERROR(Need(out != nullptr, "null argument"));
  *out = candor_group_operation{};
  CANDOR_ASSIGN_OR_RETURN(client::GroupOperation done, op());
  try {
    FillOperation(out, done);
  } catch (const std::bad_alloc&) {
    candor_group_operation_free(out);
    return Error(Errc::kOutOfMemory,
                 "out of memory handing out a group operation that is already stored");
  }
  return Ok();
}

}  // namespace candor::capi

#endif  // CANDOR_CAPI_SRC_CAPI_INTERNAL_H_
