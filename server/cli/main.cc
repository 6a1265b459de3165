// shefu-server: the township server's command line. Everything lives in the server library
// (server/commands.h) so tests can drive the same code.
#include "server/commands.h"

int main(int argc, char** argv) { return shefu::server::RunServerCli(argc, argv); }
