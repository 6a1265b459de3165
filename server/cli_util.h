// Small helpers the shefu-server commands share: printing errors in the user's language,
// reading a secret from the terminal without echo.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "shared/status.h"

namespace shefu::server {

// Prints "错误：…" / "error: …" and returns the exit code for it (1; 2 for usage errors).
int PrintError(std::ostream& err, const Status& st);
// Reads a line from the terminal with echo off (prompt on stderr). nullopt when stdin is not a
// TTY or on EOF.
std::optional<std::string> ReadSecretFromTty(const std::string& prompt);

}  // namespace shefu::server
