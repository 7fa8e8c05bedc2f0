#include "commands.h"

namespace candor::cli {

const std::vector<Command>& Commands() {
  // File flags marked kIn / kOut also take "-" (args.h).
  constexpr Stdio kIn = Stdio::kIn;
  constexpr Stdio kOut = Stdio::kOut;
  static const std::vector<Command> kCommands = {
      {{"init"}, {{"db", true, true}, {"account", true, true}}, RunInit,
       "candor init --db DB --account NAME"},
      {{"bundle"},
       {{"db", true, true}, {"out", true, true, kOut}, {"egress-log", true, false}},
       RunBundle, "candor bundle --db DB --out FILE|- [--egress-log FILE]"},
      {{"send"},
       {{"db", true, true}, {"to", true, true}, {"bundle", true, false, kIn},
        {"text", true, false}, {"text-file", true, false, kIn}, {"out", true, true, kOut},
        {"egress-log", true, false}},
       RunSend,
       "candor send --db DB --to ACCOUNT [--bundle FILE|-] (--text-file FILE|- | --text TEXT) "
       "--out FILE|- [--egress-log FILE]"},
      {{"relay"},
       {{"key", true, true}, {"in", true, true, kIn}, {"out", true, true, kOut},
        {"ack-out", true, true, kOut}, {"time", true, false}, {"egress-log", true, false}},
       RunRelay,
       "candor relay --key RELAY_KEY --in ENVELOPE|- --out DELIVERY|- --ack-out ACK|- "
       "[--time UNIX_SECONDS] [--egress-log FILE]"},
      {{"ack"}, {{"db", true, true}, {"in", true, true, kIn}}, RunAck,
       "candor ack --db DB --in ACK|-"},
      {{"receive"}, {{"db", true, true}, {"in", true, true, kIn}}, RunReceive,
       "candor receive --db DB --in DELIVERY|-"},
      {{"history"}, {{"db", true, true}, {"with", true, true}, {"limit", true, false}},
       RunHistory, "candor history --db DB --with ACCOUNT [--limit N]"},
      {{"search"}, {{"db", true, true}, {"query", true, true}, {"with", true, false},
                    {"limit", true, false}},
       RunSearch, "candor search --db DB --query TEXT [--with ACCOUNT] [--limit N]"},
      {{"fingerprint"}, {{"db", true, true}, {"with", true, true}}, RunFingerprint,
       "candor fingerprint --db DB --with ACCOUNT"},
      {{"rotate-prekey"}, {{"db", true, true}}, RunRotatePrekey,
       "candor rotate-prekey --db DB"},
      {{"allow-classical"}, {{"db", true, true}, {"with", true, true}, {"off", false, false}},
       RunAllowClassical, "candor allow-classical --db DB --with ACCOUNT [--off]"},
      {{"timer"}, {{"db", true, true}, {"with", true, true}, {"seconds", true, true}}, RunTimer,
       "candor timer --db DB --with ACCOUNT --seconds N (0: off)"},
      {{"purge"}, {{"db", true, true}}, RunPurge, "candor purge --db DB"},
      {{"keygen", "relay"}, {{"out", true, true}}, RunKeygenRelay,
       "candor keygen relay --out FILE"},
      {{"keygen", "moderator"}, {{"out", true, true}, {"public-out", true, true}},
       RunKeygenModerator, "candor keygen moderator --out SECRET_FILE --public-out PUBLIC_FILE"},
      {{"report", "prepare"},
       {{"db", true, true}, {"with", true, true}, {"message", true, true}, {"reason", true, true},
        {"out", true, true, kOut}},
       RunReportPrepare,
       "candor report prepare --db DB --with ACCOUNT --message ID --reason CODE --out PREVIEW_JSON|-"},
      {{"report", "submit"},
       {{"db", true, true}, {"preview", true, true, kIn}, {"moderator", true, true},
        {"out", true, true, kOut}, {"egress-log", true, false}},
       RunReportSubmit,
       "candor report submit --db DB --preview PREVIEW_JSON|- --moderator PUBLIC_FILE "
       "--out REPORT|- [--egress-log FILE]"},
      {{"reports"}, {{"db", true, true}}, RunReports, "candor reports --db DB"},
      {{"report", "delete"}, {{"db", true, true}, {"id", true, true}}, RunReportDelete,
       "candor report delete --db DB --id REPORT_ID"},
      {{"identity"}, {{"db", true, true}, {"with", true, true}}, RunIdentity,
       "candor identity --db DB --with ACCOUNT"},
      {{"trust"}, {{"db", true, true}, {"with", true, true}, {"safety-number", true, false}},
       RunTrust, "candor trust --db DB --with ACCOUNT [--safety-number DIGITS]"},
      {{"verify"}, {{"db", true, true}, {"with", true, true}, {"safety-number", true, true}},
       RunVerify, "candor verify --db DB --with ACCOUNT --safety-number DIGITS"},
      {{"reject"}, {{"db", true, true}, {"with", true, true}}, RunReject,
       "candor reject --db DB --with ACCOUNT"},
      {{"moderate"}, {{"key", true, true}, {"relay-key", true, true}, {"in", true, true, kIn}},
       RunModerate, "candor moderate --key SECRET_FILE --relay-key RELAY_KEY --in REPORT|-"},
      {{"policy"}, {{"format", true, true}}, RunPolicy, "candor policy --format json|markdown"},
      {{"audit"}, {{"log", true, true, kIn}}, RunAudit, "candor audit --log FILE|-"},
      {{"version"}, {{"json", false, false}}, RunVersion, "candor version [--json] (or candor --version)"},
      {{"demo"}, {{"keep", true, false}, {"json", false, false}, {"egress-log", true, false}}, RunDemo,
       "candor demo [--keep DIR] [--json] [--egress-log FILE]"},
  };
  return kCommands;
}

}  // namespace candor::cli
