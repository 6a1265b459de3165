// Facts about the HTTP request the current thread is serving, for code far from the handler
// (the audit hook inside the sync engine's transaction). cpp-httplib serves each request on one
// worker thread from start to end, so a thread_local is exact. Empty outside a request (CLI).
#pragma once

#include <string>

namespace shefu::server {

struct RequestContext {
  std::string request_id;
};

RequestContext& CurrentRequest();

}  // namespace shefu::server
