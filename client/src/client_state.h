// Private to client/: what a Client holds, shared by its source files.
#ifndef CANDOR_CLIENT_SRC_CLIENT_STATE_H_
#define CANDOR_CLIENT_SRC_CLIENT_STATE_H_

#include <functional>
#include <optional>

#include "candor/client/client.h"

namespace candor::client {

struct Client::State {
  storage::Store store;
  protocol::LocalIdentity identity;
  crypto::RandomSource& rng;
  Clock& clock;
  std::function<void(const protocol::EgressRecord&)> egress_observer;
  std::function<void(const IdentityChange&)> identity_change_observer;
  std::function<bool(std::string_view)> seal_conversation;
  // The identity key in X25519 form, which opens sealed boxes: derived on
  // the first sealed receive, kept (wiped) for the Client's life.
  std::optional<crypto::X25519KeyPair> box_key = std::nullopt;
};

}  // namespace candor::client

#endif  // CANDOR_CLIENT_SRC_CLIENT_STATE_H_
