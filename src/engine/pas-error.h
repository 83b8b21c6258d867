#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PAS_ERROR (pas_error_quark ())

/* One GError domain for everything the engine reports to people. Each code
 * has a human message (the GError message) and a remedy (pas_error_get_remedy()). */
typedef enum
{
  PAS_ERROR_FAILED,
  PAS_ERROR_INVALID_ADDRESS,
  PAS_ERROR_INVALID_HOST_KEY,
  PAS_ERROR_KNOWN_HOSTS,
  PAS_ERROR_NAME_NOT_RESOLVED,
  PAS_ERROR_CONNECTION_REFUSED,
  PAS_ERROR_TIMED_OUT,
  PAS_ERROR_NETWORK,
  PAS_ERROR_NOT_SSH,
  PAS_ERROR_NO_COMMON_ALGORITHM,
  PAS_ERROR_HOST_KEY_UNKNOWN,
  PAS_ERROR_HOST_KEY_CHANGED,
  PAS_ERROR_HOST_KEY_REVOKED,
  PAS_ERROR_AUTH_FAILED,
  PAS_ERROR_TOO_MANY_AUTH_FAILURES,
  PAS_ERROR_PERMISSION_DENIED,
  PAS_ERROR_DISCONNECTED,
  PAS_ERROR_WRONG_PASSPHRASE,
  PAS_ERROR_UNSUPPORTED_KEY,
  PAS_ERROR_PROTOCOL,
  PAS_ERROR_NOT_FOUND,
  PAS_ERROR_NOT_SUPPORTED,
  PAS_ERROR_UNSAFE_NAME,      /* a server's name that cannot name a local file */
  PAS_ERROR_EXISTS,           /* something else is in the way */
  PAS_ERROR_INCOMPLETE,       /* a copy did not end with the size it should have */
  PAS_ERROR_PARTIAL,          /* some items of a batch failed */
} PasError;

GQuark      pas_error_quark      (void);
const char *pas_error_get_remedy (const GError *error);
/* Not there: locally (GIO) or on the server. */
gboolean    pas_error_is_not_found (const GError *error);
/* The message, then the remedy (when there is one) after @separator. */
char       *pas_error_describe   (const GError *error,
                                  const char   *separator);

G_END_DECLS
