// Paradata red flags for door-to-door surveys: interviews that are too short to be real, and
// bursts of interviews on one device in one minute (a worker filling forms at a desk).
//
// Flags are for review, never automatic rejection: a respondent may answer quickly, two
// neighbours may be interviewed together. Pure functions over (start, end) pairs, so the device
// can warn the worker at once and the server can recompute the same flags.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shared/i18n.h"

namespace shefu {

struct InterviewTiming {
  std::string interview_id;
  std::string device;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
};

struct ParadataConfig {
  int64_t min_duration_ms = 120'000;  // shorter than this: "too_short"
  int burst_count = 3;                // this many interviews ...
  int64_t burst_window_ms = 60'000;   // ... starting within this window on one device: "burst"
};

struct ParadataFlag {
  std::string interview_id;
  std::string code;  // "too_short" | "burst" | "bad_timing" (ends before it starts)
  Text text;
};

// Flags in a deterministic order: by interview id, then code. An interview with bad timing is
// not also judged for duration.
std::vector<ParadataFlag> FlagInterviews(const std::vector<InterviewTiming>& interviews,
                                         const ParadataConfig& config);

}  // namespace shefu
