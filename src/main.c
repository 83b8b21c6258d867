#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "pas-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PasApplication) app = NULL;
  const char *localedir = g_getenv ("PASSERELLE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = pas_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
