#include "server/request_context.h"

namespace shefu::server {

RequestContext& CurrentRequest() {
  thread_local RequestContext ctx;
  return ctx;
}

}  // namespace shefu::server
