/* A key file someone picks: OpenSSH, PEM/PKCS#8 and PuTTY .ppk parsers. */
#include "config.h"

#include "pas-engine.h"
#include "pas-ppk.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  PasPrivateKey *key = pas_private_key_load_from_data ((const char *) data, size, "fuzz", NULL);
  PasPpk *ppk;

  if (key != NULL)
    pas_private_key_free (key);
  ppk = pas_ppk_parse ((const char *) data, size, "fuzz.ppk", NULL);
  if (ppk != NULL)
    pas_ppk_free (ppk);
  return 0;
}
