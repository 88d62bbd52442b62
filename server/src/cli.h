// Copyright Vigil authors.
//
// The vigil-server command line: serve, keygen, pubkey, migrate, admin
// create, app create, key create. Exit codes: 0 success, 1 failure at run
// time (database, key file, port), 2 bad usage.
#ifndef VIGIL_SERVER_CLI_H_
#define VIGIL_SERVER_CLI_H_

namespace vigil::server {

int RunCli(int argc, char** argv);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_CLI_H_
