#define G_LOG_DOMAIN "pas-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pas-error.h"

G_DEFINE_QUARK (pas-error-quark, pas_error)

/**
 * pas_error_get_remedy:
 * @error: a #GError
 *
 * Returns: (nullable): a translated sentence telling people what they can do
 *   about @error, or %NULL when @error is not a #PAS_ERROR or has no remedy.
 */
const char *
pas_error_get_remedy (const GError *error)
{
  if (error == NULL || error->domain != PAS_ERROR)
    return NULL;

  switch ((PasError) error->code)
    {
    case PAS_ERROR_INVALID_ADDRESS:
      return _("Write the address as sftp://user@host:port/folder, for example sftp://root@example.com/var/www.");

    case PAS_ERROR_KNOWN_HOSTS:
      return _("Check that the file and its folder (usually ~/.ssh) belong to you and are not full.");

    case PAS_ERROR_INVALID_HOST_KEY:
    case PAS_ERROR_FAILED:
    default:
      return NULL;
    }
}
