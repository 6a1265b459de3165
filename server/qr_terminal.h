// A QR code drawn in the terminal with Unicode half blocks (two modules per character row), so
// town staff can enrol a tablet by pointing its camera at the screen. Rendered dark-on-light
// with the 4-module quiet zone the standard asks for.
#pragma once

#include <string>

#include "shared/status.h"

namespace shefu::server {

Result<std::string> RenderQrForTerminal(const std::string& text);

}  // namespace shefu::server
