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
} PasError;

GQuark      pas_error_quark      (void);
const char *pas_error_get_remedy (const GError *error);

G_END_DECLS
