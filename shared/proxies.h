// Proxy voting (委托投票): written, listed before the meeting, capped per proxy.
//
// The provincial village-election rules are the closest statutory model: a voter who cannot
// attend may entrust a person on the same roll in writing; the list of principals and proxies is
// published; one proxy carries at most 1, 2 or 3 principals depending on the province; some
// provinces allow only close relatives. Nothing ad hoc: an offline device must not accept a proxy
// that is not in the roll package, so a grant listed after the listing deadline is refused.
//
// A proxy is void for a ballot when the principal is present in person (ActiveProxies).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "shared/findings.h"
#include "shared/meeting_rules.h"

namespace shefu {

inline constexpr const char* kProxyRulesSource =
    "村民委员会组织法 第十五条；省村民委员会选举办法（参照）";

struct ProxyGrant {
  std::string principal;  // roll entry id of the voter who entrusts
  std::string proxy;      // roll entry id of the person who votes for them
  bool written = false;   // a signed written authorisation exists (书面委托)
  bool close_relative = false;
  int64_t listed_at_ms = 0;  // when the grant entered the published list / roll package
};

// Checks a proxy list against the roll. Every problem is an error (a proxy list is all or
// nothing: it is published as one document). Codes:
//   proxy_cap_out_of_range   the policy's cap is outside 1..3
//   proxy_not_written        no written authorisation
//   proxy_listed_late        listed after `listing_deadline_ms` (not in advance)
//   proxy_principal_not_on_roll / proxy_not_on_roll
//   proxy_self               principal and proxy are the same person
//   proxy_principal_twice    a principal entrusts twice
//   proxy_chain              a proxy is itself a principal (absent people cannot carry votes)
//   proxy_over_cap           a proxy carries more principals than the cap
//   proxy_not_close_relative when the policy allows only close relatives
Findings ValidateProxyList(const std::vector<ProxyGrant>& grants, const std::set<std::string>& roll,
                           const ProxyPolicy& policy, int64_t listing_deadline_ms);

// The grants still in force for a ballot: those whose principal is not present in person.
std::vector<ProxyGrant> ActiveProxies(const std::vector<ProxyGrant>& grants,
                                      const std::set<std::string>& present_in_person);

}  // namespace shefu
