// Copyright Vigil authors.
//
// vigil-server: see docs/server.md.
#include "cli.h"

int main(int argc, char** argv) { return vigil::server::RunCli(argc, argv); }
