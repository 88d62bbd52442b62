// Copyright Vigil authors.
//
// Stand-ins for a database driver, used by the HTTP end-to-end tests. They
// live apart from the services that call them so that those calls are
// call-site hook points, exactly as calls into libsqlite3 are; the tests
// attach a stand-in protection there (http_test_support.h).

extern "C" int http_test_db_query(const char* sql) { return sql != nullptr ? 0 : -1; }
extern "C" int http_civet_db_query(const char* sql) { return sql != nullptr ? 0 : -1; }
