#pragma once
#include <string>

// Shared between the two TUs; the log is a function-local static so that it
// is ready whatever TU initialises first.
void log_event(const char* what);
std::string event_log();
std::string other_name();
int other_value();
