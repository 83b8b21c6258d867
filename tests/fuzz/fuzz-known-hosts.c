/* ~/.ssh/known_hosts (and its matcher): the file is written to a private
 * temporary folder, loaded, and asked about a few hosts and a fixed key. */
#include "config.h"

#include <glib/gstdio.h>

#include "pas-engine.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static char *path;
static PasHostKey *key;

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char *hosts[] = { "example.com", "10.0.0.1", "[example.com]:2222", "EXAMPLE.com", "" };
  PasKnownHosts *known;

  if (path == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("pas-fuzz-XXXXXX", NULL);
      path = g_build_filename (dir, "known_hosts", NULL);
      key = pas_host_key_new_from_base64 ("ssh-ed25519",
                                          "AAAAC3NzaC1lZDI1NTE5AAAAIJWLzsEG9y5wlHIGejSIU7LuLonlwzQkrs5lQoksGq9B",
                                          NULL);
    }
  if (!g_file_set_contents (path, (const char *) data, (gssize) size, NULL))
    return 0;
  known = pas_known_hosts_new ();
  if (pas_known_hosts_load (known, path, NULL) && key != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
      {
        g_autofree char *where = NULL;
        pas_known_hosts_check (known, hosts[i], i == 2 ? 2222 : 22, key, &where);
      }
  pas_known_hosts_free (known);
  return 0;
}
