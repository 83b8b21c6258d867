#define G_LOG_DOMAIN "pas-error"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
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
gboolean
pas_error_is_not_found (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
         g_error_matches (error, PAS_ERROR, PAS_ERROR_NOT_FOUND);
}

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

    case PAS_ERROR_NAME_NOT_RESOLVED:
      return _("Check the spelling of the server name, and that this computer is online.");

    case PAS_ERROR_CONNECTION_REFUSED:
      return _("Check the port number, and that the SSH service is running on the server.");

    case PAS_ERROR_TIMED_OUT:
      return _("Check the server name and port; a firewall may be dropping the connection.");

    case PAS_ERROR_NETWORK:
      return _("Check this computer’s network connection.");

    case PAS_ERROR_NOT_SSH:
      return _("Check the port number: SSH usually listens on port 22.");

    case PAS_ERROR_NO_COMMON_ALGORITHM:
      return _("The server may be very old or very strictly configured; ask its administrator which algorithms it allows.");

    case PAS_ERROR_HOST_KEY_UNKNOWN:
      return _("Compare the fingerprint with the one your hosting provider or administrator gives you before accepting it.");

    case PAS_ERROR_HOST_KEY_CHANGED:
      return _("If the server was reinstalled, ask its administrator for the new fingerprint and compare, then remove the old key with the ssh-keygen command above and connect again. Otherwise, do not connect.");

    case PAS_ERROR_HOST_KEY_REVOKED:
      return _("Do not connect. Ask the server’s administrator for its new key.");

    case PAS_ERROR_AUTH_FAILED:
      return _("Check the user name, the password or the key, and which login methods the server allows.");

    case PAS_ERROR_TOO_MANY_AUTH_FAILURES:
      return _("Choose the key to use in the session settings so that only that key is offered.");

    case PAS_ERROR_PERMISSION_DENIED:
      return _("Check the permissions of the file or folder; if it is on the server, ask its administrator for access.");

    case PAS_ERROR_DISCONNECTED:
      return _("Try again; if it keeps happening, the server may be limiting connections.");

    case PAS_ERROR_WRONG_PASSPHRASE:
      return _("Type the passphrase you chose when the key was made; letters are case-sensitive.");

    case PAS_ERROR_UNSUPPORTED_KEY:
      return _("Use a key made by ssh-keygen (ed25519 is a good choice), or convert this one with ssh-keygen or puttygen.");

    case PAS_ERROR_NOT_FOUND:
      return _("Refresh the folder: it may have been moved or deleted.");

    case PAS_ERROR_NOT_SUPPORTED:
      return _("The server’s SFTP software is too limited for this; ask its administrator.");

    case PAS_ERROR_PROTOCOL:
      return _("The server does not follow the SFTP protocol; report this to its administrator.");

    case PAS_ERROR_UNSAFE_NAME:
      return _("The server sent a name that could write outside the chosen folder; it was skipped. Tell the server’s administrator.");

    case PAS_ERROR_EXISTS:
      return _("Rename or remove what is in the way, or choose another destination.");

    case PAS_ERROR_INCOMPLETE:
      return _("Try the transfer again; the file may have changed while it was copied, or a disk may be full.");

    case PAS_ERROR_PARTIAL:
      return _("See each failed item for its reason; retrying continues where they stopped.");

    case PAS_ERROR_INVALID_HOST_KEY:
    case PAS_ERROR_FAILED:
    default:
      return NULL;
    }
}

char *
pas_error_describe (const GError *error,
                    const char   *separator)
{
  const char *remedy = pas_error_get_remedy (error);

  gsize length = strlen (error->message);

  if (remedy == NULL)
    return g_strdup (error->message);
  /* Messages are sentences without their full stop; a remedy follows one. */
  if (length > 0 && strchr (".!?:", error->message[length - 1]) == NULL &&
      !g_str_has_suffix (error->message, "…"))
    return g_strconcat (error->message, ".", separator, remedy, NULL);
  return g_strconcat (error->message, separator, remedy, NULL);
}
