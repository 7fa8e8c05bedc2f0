// Loads a Wycheproof JSON file from the shared vectors folder (its path comes
// from CMake) and gives table-driven tests typed access to groups and cases.
#ifndef CANDOR_TESTS_SUPPORT_WYCHEPROOF_H_
#define CANDOR_TESTS_SUPPORT_WYCHEPROOF_H_

#include <google/protobuf/struct.pb.h>

#include <map>
#include <string>
#include <vector>

#include "candor/crypto/bytes.h"

namespace candor::testing {

enum class Expected { kValid, kInvalid, kAcceptable };

// One test case: its id, expected result, flags, and accessors for fields.
class WycheproofCase {
 public:
  explicit WycheproofCase(const google::protobuf::Struct& fields);
  int id() const { return id_; }
  Expected result() const { return result_; }
  bool HasFlag(const std::string& flag) const;
  Bytes Hex(const std::string& key) const;  // a hex field as bytes
  int64_t Int(const std::string& key) const;

 private:
  const google::protobuf::Struct* fields_;
  int id_;
  Expected result_;
};

struct WycheproofGroup {
  const google::protobuf::Struct* fields;  // group-level attributes
  std::vector<WycheproofCase> cases;
  int64_t Int(const std::string& key) const;
  const google::protobuf::Struct& Object(const std::string& key) const;
};

// Counts per result, for the line each test prints and for the total check.
struct WycheproofTally {
  int valid = 0, invalid = 0, acceptable = 0;
  void Add(Expected e);
  int total() const { return valid + invalid + acceptable; }
};

class WycheproofFile {
 public:
  // Fails the current test (ADD_FAILURE) if the file is missing or malformed;
  // the result then has no groups and number_of_tests() == -1.
  static WycheproofFile Load(const std::string& file_name);

  const std::string& name() const { return name_; }
  int64_t number_of_tests() const { return number_of_tests_; }
  const std::vector<WycheproofGroup>& groups() const { return groups_; }
  // Prints "<file>: N cases ran (v valid, i invalid, a acceptable)" and checks
  // that N equals the file's numberOfTests, so no case can be skipped.
  void Report(const WycheproofTally& tally) const;

 private:
  std::string name_;
  google::protobuf::Struct root_;
  int64_t number_of_tests_ = -1;
  std::vector<WycheproofGroup> groups_;
};

}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_WYCHEPROOF_H_
