#define G_LOG_DOMAIN "pas-secret"

#include "config.h"

#include <string.h>
#include <openssl/crypto.h>

#include "pas-secret.h"

void
pas_secret_wipe (void *data,
                 gsize len)
{
  /* OPENSSL_cleanse is not optimised away, unlike a plain memset before free. */
  if (data != NULL && len > 0)
    OPENSSL_cleanse (data, len);
}

char *
pas_secret_dup (const char *secret)
{
  return g_strdup (secret);
}

void
pas_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  pas_secret_wipe (secret, strlen (secret));
  g_free (secret);
}
