#include "shared/paradata.h"

#include <algorithm>
#include <map>
#include <set>

namespace shefu {

std::vector<ParadataFlag> FlagInterviews(const std::vector<InterviewTiming>& interviews,
                                         const ParadataConfig& config) {
  std::set<std::pair<std::string, std::string>> flagged;  // (interview, code)
  std::map<std::string, Text> texts;
  auto flag = [&](const std::string& id, const std::string& code, Text text) {
    if (flagged.insert({id, code}).second) texts[id + "\n" + code] = std::move(text);
  };
  std::map<std::string, std::vector<const InterviewTiming*>> by_device;
  for (const auto& i : interviews) {
    by_device[i.device].push_back(&i);
    if (i.end_ms < i.start_ms) {
      flag(i.interview_id, "bad_timing",
           {"结束时间早于开始时间（设备时钟可能有误）", "ends before it starts (device clock?)"});
    } else if (i.end_ms - i.start_ms < config.min_duration_ms) {
      int64_t s = (i.end_ms - i.start_ms) / 1000;
      flag(i.interview_id, "too_short",
           {"访问仅用时 " + std::to_string(s) + " 秒，少于 " +
                std::to_string(config.min_duration_ms / 1000) + " 秒",
            "the interview took " + std::to_string(s) + " s, less than " +
                std::to_string(config.min_duration_ms / 1000) + " s"});
    }
  }
  if (config.burst_count >= 2) {
    for (auto& [device, list] : by_device) {
      std::sort(list.begin(), list.end(), [](const InterviewTiming* a, const InterviewTiming* b) {
        return a->start_ms != b->start_ms ? a->start_ms < b->start_ms
                                          : a->interview_id < b->interview_id;
      });
      // Every window of burst_count consecutive starts spanning less than the window is a burst.
      const size_t k = static_cast<size_t>(config.burst_count);
      for (size_t i = 0; i + k <= list.size(); ++i) {
        if (list[i + k - 1]->start_ms - list[i]->start_ms >= config.burst_window_ms) continue;
        const std::string secs = std::to_string(config.burst_window_ms / 1000);
        for (size_t j = i; j < i + k; ++j)
          flag(list[j]->interview_id, "burst",
               {"同一设备在 " + secs + " 秒内开始了 " + std::to_string(k) + " 次以上访问",
                std::to_string(k) + " or more interviews started on one device within " + secs +
                    " s"});
      }
    }
  }
  std::vector<ParadataFlag> out;
  for (const auto& [id, code] : flagged) out.push_back({id, code, texts[id + "\n" + code]});
  return out;
}

}  // namespace shefu
