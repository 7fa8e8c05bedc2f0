#include "support/wycheproof.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/hex.h"

namespace candor::testing {
namespace {

const google::protobuf::Value& Field(const google::protobuf::Struct& s, const std::string& key) {
  static const google::protobuf::Value kNull;
  auto it = s.fields().find(key);
  if (it == s.fields().end()) {
    ADD_FAILURE() << "Wycheproof field missing: " << key;
    return kNull;
  }
  return it->second;
}

}  // namespace

WycheproofCase::WycheproofCase(const google::protobuf::Struct& fields)
    : fields_(&fields), id_(static_cast<int>(Field(fields, "tcId").number_value())) {
  const std::string r = Field(fields, "result").string_value();
  if (r == "valid") {
    result_ = Expected::kValid;
  } else if (r == "invalid") {
    result_ = Expected::kInvalid;
  } else if (r == "acceptable") {
    result_ = Expected::kAcceptable;
  } else {
    ADD_FAILURE() << "tcId " << id_ << ": unknown result '" << r << "'";
    result_ = Expected::kInvalid;
  }
}

bool WycheproofCase::HasFlag(const std::string& flag) const {
  for (const auto& v : Field(*fields_, "flags").list_value().values()) {
    if (v.string_value() == flag) return true;
  }
  return false;
}

Bytes WycheproofCase::Hex(const std::string& key) const {
  return Unhex(Field(*fields_, key).string_value());
}

int64_t WycheproofCase::Int(const std::string& key) const {
  return static_cast<int64_t>(Field(*fields_, key).number_value());
}

int64_t WycheproofGroup::Int(const std::string& key) const {
  return static_cast<int64_t>(Field(*fields, key).number_value());
}

const google::protobuf::Struct& WycheproofGroup::Object(const std::string& key) const {
  return Field(*fields, key).struct_value();
}

void WycheproofTally::Add(Expected e) {
  switch (e) {
    case Expected::kValid: ++valid; break;
    case Expected::kInvalid: ++invalid; break;
    case Expected::kAcceptable: ++acceptable; break;
  }
}

WycheproofFile WycheproofFile::Load(const std::string& file_name) {
  WycheproofFile file;
  file.name_ = file_name;
  const std::string path = std::string(CANDOR_WYCHEPROOF_DIR) + "/" + file_name;
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open Wycheproof vectors at " << path
                  << " (configure with -DCANDOR_WYCHEPROOF_DIR=...)";
    return file;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto status = google::protobuf::util::JsonStringToMessage(text.str(), &file.root_);
  if (!status.ok()) {
    ADD_FAILURE() << "cannot parse " << path << ": " << status.ToString();
    return file;
  }
  file.number_of_tests_ =
      static_cast<int64_t>(Field(file.root_, "numberOfTests").number_value());
  for (const auto& g : Field(file.root_, "testGroups").list_value().values()) {
    WycheproofGroup group{&g.struct_value(), {}};
    for (const auto& t : Field(g.struct_value(), "tests").list_value().values()) {
      group.cases.emplace_back(t.struct_value());
    }
    file.groups_.push_back(std::move(group));
  }
  return file;
}

void WycheproofFile::Report(const WycheproofTally& tally) const {
  std::printf("[wycheproof] %s: %d cases ran (%d valid, %d invalid, %d acceptable)\n",
              name_.c_str(), tally.total(), tally.valid, tally.invalid, tally.acceptable);
  EXPECT_EQ(tally.total(), number_of_tests_)
      << name_ << ": the number of cases run differs from the file's numberOfTests";
  EXPECT_GT(tally.total(), 0) << name_ << ": no case ran";
}

}  // namespace candor::testing
