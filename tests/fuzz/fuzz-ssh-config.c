/* ~/.ssh/config: written to a private temporary folder, loaded (Include
 * there finds only itself), and asked to resolve a few aliases. */
#include "config.h"

#include "pas-engine.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static char *path;

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char *aliases[] = { "web", "prod-01", "db.example.com", "*", "" };
  PasSshConfig *config;

  if (path == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("pas-fuzz-XXXXXX", NULL);
      path = g_build_filename (dir, "config", NULL);
    }
  if (!g_file_set_contents (path, (const char *) data, (gssize) size, NULL))
    return 0;
  config = pas_ssh_config_load (path, NULL);
  if (config == NULL)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      PasSshHost *host = pas_ssh_config_resolve (config, aliases[i], i == 1 ? "alice" : NULL, 0);
      pas_ssh_host_free (host);
    }
  g_strfreev (pas_ssh_config_list_hosts (config));
  pas_ssh_config_free (config);
  return 0;
}
