#include "shared/grade.h"

namespace shefu {

const char* GradeCode(Grade g) {
  switch (g) {
    case Grade::kExcellent:
      return "excellent";
    case Grade::kGood:
      return "good";
    case Grade::kFair:
      return "fair";
    case Grade::kPoor:
      break;
  }
  return "poor";
}

Text GradeName(Grade g) {
  switch (g) {
    case Grade::kExcellent:
      return {"优", "excellent"};
    case Grade::kGood:
      return {"良", "good"};
    case Grade::kFair:
      return {"中", "fair"};
    case Grade::kPoor:
      break;
  }
  return {"差", "poor"};
}

Status ValidateGradeThresholds(const GradeThresholds& t) {
  if (!(0 < t.fair && t.fair < t.good && t.good < t.excellent && t.excellent <= 1000))
    return Status::Error("bad_grade_thresholds", "等次分数线应满足 0 < 中 < 良 < 优 ≤ 100",
                         "grade thresholds must satisfy 0 < fair < good < excellent <= 100");
  return Status::Ok();
}

Grade GradeFor(int64_t score_tenths, const GradeThresholds& t) {
  if (score_tenths >= t.excellent) return Grade::kExcellent;
  if (score_tenths >= t.good) return Grade::kGood;
  if (score_tenths >= t.fair) return Grade::kFair;
  return Grade::kPoor;
}

}  // namespace shefu
