// Typed exceptions thrown at component boundaries and caught once, in each app's main().
#pragma once

#include <stdexcept>
#include <string>

namespace bda {

//! Base of every error the project throws on purpose; what() is the whole user-facing message.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

//! A command-line option or configuration value is wrong (exit code 2).
class UsageError : public Error {
public:
  using Error::Error;
};

//! An input file is missing, unreadable or corrupt; the message names the file.
class InputError : public Error {
public:
  using Error::Error;
};

//! An output could not be written; the message names the path.
class OutputError : public Error {
public:
  using Error::Error;
};

//! The run was valid but its data broke a limit the user set (e.g. --max-rejects).
class DataQualityError : public Error {
public:
  using Error::Error;
};

//! errno as text, for messages that name a file.
std::string errno_text(int err);

} // namespace bda
