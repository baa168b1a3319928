#include "core/internal.h"

#define P2C_STR2(x) #x
#define P2C_STR(x) P2C_STR2(x)

const char *p2c_version_string(void)
{
  return P2C_STR(P2C_VERSION_MAJOR) "." P2C_STR(P2C_VERSION_MINOR) "." P2C_STR(P2C_VERSION_PATCH);
}

unsigned p2c_version_number(void) { return P2C_VERSION_NUMBER; }

const char *p2c_strerror(int status)
{
  switch (status) {
  case P2C_OK: return "ok";
  case P2C_ERR_NOMEM: return "out of memory";
  case P2C_ERR_INVALID_ARG: return "invalid argument";
  case P2C_ERR_IO: return "input/output error";
  case P2C_ERR_PARSE: return "malformed input";
  case P2C_ERR_SCHEMA: return "missing or wrongly typed field";
  case P2C_ERR_MISMATCH: return "inputs do not match";
  case P2C_ERR_LIMIT: return "safety limit exceeded";
  case P2C_ERR_UNSUPPORTED: return "unsupported";
  case P2C_ERR_NOT_FOUND: return "not found";
  case P2C_ERR_VERSION: return "version mismatch";
  case P2C_ERR_EMPTY: return "nothing to score";
  case P2C_ERR_STATE: return "call out of order";
  case P2C_ERR_INTERNAL: return "internal error";
  default: return "unknown status";
  }
}
