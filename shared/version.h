// Versions that cross process boundaries. Bump deliberately; see docs/protocol.md.
#pragma once

namespace shefu {

inline constexpr const char* kProductVersion = "0.1.0";
// Sync protocol: the server accepts kProtocolVersion and kProtocolVersion - 1 (N and N-1).
inline constexpr int kProtocolVersion = 1;
inline constexpr int kMinProtocolVersion = 1;

}  // namespace shefu
