/* An imported sitemanager.xml. */
#include "config.h"

#include "pas-engine.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  GPtrArray *sites = pas_filezilla_parse (text, (gssize) size, NULL, NULL);

  if (sites != NULL)
    g_ptr_array_unref (sites);
  return 0;
}
