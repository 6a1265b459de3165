// Evaluation grades on the 100-point scale: 优 / 良 / 中 / 差 (财预〔2020〕10号 practice; the
// thresholds are data — policy params and per-contract settings — not constants).
// Scores are kept in tenths (90.0 -> 900) so one decimal is exact; "90分以上" includes 90
// (民法典 第一千二百五十九条: 以上 includes the number).
#pragma once

#include <cstdint>

#include "shared/i18n.h"
#include "shared/status.h"

namespace shefu {

enum class Grade { kExcellent, kGood, kFair, kPoor };  // 优 良 中 差
const char* GradeCode(Grade g);                        // "excellent" | "good" | "fair" | "poor"
Text GradeName(Grade g);                               // 优/excellent ...

struct GradeThresholds {
  int64_t excellent = 900;  // tenths
  int64_t good = 800;
  int64_t fair = 600;
};
// 0 < fair < good < excellent <= 1000. Error code: bad_grade_thresholds.
Status ValidateGradeThresholds(const GradeThresholds& t);
Grade GradeFor(int64_t score_tenths, const GradeThresholds& t);

}  // namespace shefu
