/* A two-party exchange and a verified report through candor's C ABI.
 *
 *   two_party_c WORK_DIR
 *
 * Alice and Bob get encrypted stores in WORK_DIR; the "network" is this
 * program handing bytes around, through candor's reference relay. Bob
 * reports Alice's last message; the moderation side verifies it. */
#include <candor/candor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(call)                                                              \
  do {                                                                           \
    int rc_ = (call);                                                            \
    if (rc_ != CANDOR_OK) {                                                      \
      fprintf(stderr, "%s failed: %s (%s)\n", #call, candor_error_name(rc_),     \
              candor_last_error_message());                                      \
      exit(1);                                                                   \
    }                                                                            \
  } while (0)

static uint8_t relay_key[CANDOR_KEY_BYTES];
static uint64_t now = 1800000000;

/* Sends, relays, hands the ack back to the sender and the delivery to the
 * recipient; returns the recipient's message id. */
static int64_t exchange(candor_client* from, candor_client* to, const char* text,
                        const candor_buffer* bundle) {
  int64_t sent_id = 0, acked_id = 0;
  candor_buffer envelope, delivery, ack;
  candor_received received;
  CHECK(candor_client_send(from, candor_client_account(to), text, bundle ? bundle->data : NULL,
                           bundle ? bundle->size : 0, &sent_id, &envelope));
  CHECK(candor_relay(relay_key, envelope.data, envelope.size, ++now, &delivery, &ack));
  CHECK(candor_client_handle_ack(from, ack.data, ack.size, &acked_id));
  CHECK(candor_client_receive(to, delivery.data, delivery.size, &received));
  printf("%s -> %s: \"%s\" (%zu envelope bytes)\n", received.from, candor_client_account(to),
         received.text, envelope.size);
  int64_t id = received.message_id;
  candor_received_free(&received);
  candor_buffer_free(&envelope);
  candor_buffer_free(&delivery);
  candor_buffer_free(&ack);
  return id;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s WORK_DIR\n", argv[0]);
    return 2;
  }
  printf("candor %s, ABI %d\n", candor_version(), candor_abi_version());
  uint8_t moderator_secret[CANDOR_KEY_BYTES], moderator_public[CANDOR_KEY_BYTES];
  CHECK(candor_generate_relay_key(relay_key));
  CHECK(candor_generate_moderator_keys(moderator_secret, moderator_public));

  /* Store keys would come from the platform keystore. */
  uint8_t alice_key[CANDOR_KEY_BYTES], bob_key[CANDOR_KEY_BYTES];
  memset(alice_key, 0xA1, sizeof alice_key);
  memset(bob_key, 0xB0, sizeof bob_key);
  char alice_path[4096], bob_path[4096];
  snprintf(alice_path, sizeof alice_path, "%s/alice.db", argv[1]);
  snprintf(bob_path, sizeof bob_path, "%s/bob.db", argv[1]);
  candor_client *alice = NULL, *bob = NULL;
  CHECK(candor_client_create(alice_path, alice_key, "alice", &alice));
  CHECK(candor_client_create(bob_path, bob_key, "bob", &bob));

  candor_buffer bundle;
  CHECK(candor_client_bundle(bob, &bundle));
  exchange(alice, bob, "Hi Bob!", &bundle);
  candor_buffer_free(&bundle);
  exchange(bob, alice, "Hi Alice.", NULL);
  int64_t reported = exchange(alice, bob, "Send me your password.", NULL);

  char* fingerprint = NULL;
  CHECK(candor_client_fingerprint(alice, "bob", &fingerprint));
  printf("safety number: %s\n", fingerprint);
  candor_string_free(fingerprint);

  /* Bob reports: the preview is what he is shown; submit seals exactly it. */
  char* preview = NULL;
  CHECK(candor_client_report_prepare(bob, "alice", reported, "harassment", &preview));
  int64_t report_id = 0;
  candor_buffer sealed;
  CHECK(candor_client_report_submit(bob, preview, moderator_public, &report_id, &sealed));
  candor_string_free(preview);
  printf("report %lld sealed: %zu bytes\n", (long long)report_id, sealed.size);

  char* verdict = NULL;
  CHECK(candor_moderate_json(moderator_secret, relay_key, sealed.data, sealed.size, &verdict));
  printf("moderator: %s\n", verdict);
  int ok = strstr(verdict, "\"verdict\":\"verified\"") != NULL && strstr(verdict, "forged") == NULL;
  candor_string_free(verdict);
  candor_buffer_free(&sealed);

  candor_client_free(alice);
  candor_client_free(bob);
  return ok ? 0 : 1;
}
