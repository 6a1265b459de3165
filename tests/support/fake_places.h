// A tiny DomainContext for tests that must not depend on the Zhuhai reference data:
// district "D1" > town "T1" > communities "C1", "C2"; town "T2" > community "C3".
#pragma once

#include "shared/entity_types.h"

namespace shefu::test {

class FakePlaces : public DomainContext {
 public:
  bool ResolvePlace(std::string_view code, Place* out) const override {
    if (code == "D1")
      *out = {"D1", "", ""};
    else if (code == "T1")
      *out = {"D1", "T1", ""};
    else if (code == "T2")
      *out = {"D1", "T2", ""};
    else if (code == "C1")
      *out = {"D1", "T1", "C1"};
    else if (code == "C2")
      *out = {"D1", "T1", "C2"};
    else if (code == "C3")
      *out = {"D1", "T2", "C3"};
    else
      return false;
    return true;
  }
};

}  // namespace shefu::test
