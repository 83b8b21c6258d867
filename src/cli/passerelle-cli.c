#define G_LOG_DOMAIN "passerelle-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>

#include "pas-engine.h"

/* Exit statuses promised in the CLI's usage text (see README). */
enum {
  EXIT_OK = 0,
  EXIT_USAGE = 2,
};

static const char *const commands[] = { "ls", "get", "put", "mkdir", "rm", "mv", "chmod", "stat", NULL };

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean version = FALSE;
  const char *localedir = g_getenv ("PASSERELLE_LOCALEDIR");
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_summary (context, _("Commands: ls, get, put, mkdir, rm, mv, chmod, stat"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("passerelle-cli: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (version)
    {
      g_print ("passerelle-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return EXIT_USAGE;
    }

  if (!g_strv_contains (commands, argv[1]))
    {
      g_printerr (_("passerelle-cli: unknown command “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }

  /* Remote commands need the connection engine, which this build does not have yet. */
  g_printerr (_("passerelle-cli: “%s” is not available in this version\n"), argv[1]);
  return EXIT_USAGE;
}
