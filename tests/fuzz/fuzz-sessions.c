/* The saved-sessions file (a GKeyFile people may edit by hand). */
#include "config.h"

#include "pas-engine.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_data (file, (const char *) data, size, G_KEY_FILE_NONE, NULL))
    return 0;
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(PasSession) session = pas_session_new ();
      g_autoptr(GKeyFile) out = g_key_file_new ();

      if (pas_session_load (session, file, groups[i], NULL))
        pas_session_save (session, out, groups[i]);
    }
  return 0;
}
