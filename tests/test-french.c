/* In a real fr_FR.UTF-8 locale (pas_test_ui_use_french) the window is French
 * from end to end: connected to a real sshd, the
 * header, the lists, the transfer panel and the sessions dialog speak
 * French. The screenshots are the French ones of data/screenshots/. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pas-alert.h"
#include "pas-application.h"
#include "pas-sessions-dialog.h"
#include "pas-sync-dialog.h"
#include "pas-window.h"
#include "pas-test-sshd.h"
#include "pas-test-ui.h"

static gboolean
connected (gpointer data)
{
  PasBrowser *browser = data;

  return pas_browser_get_state (browser) == PAS_BROWSER_CONNECTED &&
         !pas_file_pane_is_loading (pas_browser_get_remote_pane (browser));
}

static gboolean
pane_loaded (gpointer pane)
{
  return !pas_file_pane_is_loading (pane);
}

static gboolean
plan_ready (gpointer dialog)
{
  return pas_sync_dialog_get_plan (dialog) != NULL;
}

/* The status line has Compare's words. */
static gboolean
compared (gpointer pane)
{
  const char *status = pas_test_ui_template_label (GTK_WIDGET (pane), PAS_TYPE_FILE_PANE, "status_label");

  return strstr (status, "comparaison") != NULL || strstr (status, "identiques") != NULL;
}

static gboolean
folded (gpointer browser)
{
  return pas_browser_is_folded (browser);
}

static gboolean
alert_shown (gpointer unused)
{
  return pas_test_ui_find_widget (PAS_TYPE_ALERT) != NULL;
}

static void
test_french (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) sshd = pas_test_sshd_new (NULL, &error);
  g_autoptr(PasApplication) app = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GFile) file = NULL;
  const char *identities[2] = { NULL, NULL };
  PasWindow *window;
  PasBrowser *browser;
  GtkWindow *sessions;

  g_assert_no_error (error);
  /* The translation is there and chosen. */
  g_assert_cmpstr (_("Connected"), ==, "Connecté");

  app = pas_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_application_hold (G_APPLICATION (app));
  identities[0] = pas_test_sshd_get_user_key (sshd);
  pas_application_set_identity_files (app, identities);
  pas_application_set_known_hosts (app, pas_test_sshd_get_known_hosts (sshd));

  /* Something worth looking at on both sides. */
  {
    const char *names[] = { "Documents/", "Photos/", "Projets/", "sauvegarde-2026.tar.gz", "LISEZMOI.txt",
                            "index.html", "style.css", NULL };
    g_autofree char *remote = g_build_filename (pas_test_sshd_get_dir (sshd), "site", NULL);
    g_autofree char *local = g_build_filename (g_get_home_dir (), "Travail", NULL);

    for (guint i = 0; names[i] != NULL; i++)
      for (guint side = 0; side < 2; side++)
        {
          g_autofree char *path = g_build_filename (side == 0 ? remote : local, names[i], NULL);

          if (g_str_has_suffix (names[i], "/"))
            g_mkdir_with_parents (path, 0755);
          else
            {
              g_autofree char *parent = g_path_get_dirname (path);
              g_autofree char *text = g_strnfill ((gsize) (i + 1) * 1000, 'x');

              g_mkdir_with_parents (parent, 0755);
              g_assert_true (g_file_set_contents (path, text, -1, NULL));
            }
        }
    uri = pas_test_sshd_get_uri (sshd, NULL, remote);
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);
      g_settings_set_string (settings, "default-local-folder", local);
    }
  }
  file = g_file_new_for_uri (uri);
  g_application_open (G_APPLICATION (app), &file, 1, "");
  window = PAS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  browser = pas_window_get_browser (window, 0);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (window));
  g_assert_true (pas_test_ui_wait_until (connected, browser, 30));

  /* The window title says the state in French. */
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), "Passerelle"));
  g_assert_cmpstr (pas_transfer_panel_get_summary (pas_window_get_transfer_panel (window)), ==, "Aucun transfert");
  /* One item selected: the noun agrees with the selection ("1 élément
   * sélectionné sur N", not "1 éléments sur N sélectionnés"). */
  {
    PasFilePane *remote = pas_browser_get_remote_pane (browser);
    g_autofree char *expected = NULL;

    g_assert_true (pas_test_ui_wait_until (pane_loaded, remote, 20));
    pas_file_pane_select_name (remote, "index.html");
    pas_test_ui_iterate (100);
    expected = g_strdup_printf ("1 élément sélectionné sur %u",
                                g_list_model_get_n_items (pas_file_pane_get_model (remote)));
    g_assert_cmpstr (pas_test_ui_template_label (GTK_WIDGET (remote), PAS_TYPE_FILE_PANE, "status_label"), ==, expected);
  }
  pas_test_ui_iterate (300);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-fr"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sessions", NULL));
  sessions = pas_test_ui_find_window (PAS_TYPE_SESSIONS_DIALOG);
  g_assert_nonnull (sessions);
  g_assert_cmpstr (gtk_window_get_title (sessions), ==, "Sessions enregistrées");
  pas_test_ui_wait_for_mapped (GTK_WIDGET (sessions));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (sessions), "sessions-dialog-fr"));

  /* The session editor: Test Connection in its header, in French. */
  {
    GtkWidget *editor = pas_sessions_dialog_add (PAS_SESSIONS_DIALOG (sessions));

    pas_test_ui_wait_for_mapped (editor);
    g_assert_nonnull (pas_test_ui_find_button (editor, "_Tester la connexion"));
    g_free (pas_test_ui_screenshot (editor, "session-editor-fr"));
    gtk_window_destroy (GTK_WINDOW (editor));
  }
  gtk_window_destroy (sessions);

  /* Synchronize Folders, in French: its title, and a preview that says
   * what will be done once the two folders are compared. */
  {
    GtkWindow *sync;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.synchronize", NULL));
    sync = pas_test_ui_find_window (PAS_TYPE_SYNC_DIALOG);
    g_assert_nonnull (sync);
    g_assert_cmpstr (gtk_window_get_title (sync), ==, "Synchroniser les dossiers");
    pas_test_ui_wait_for_mapped (GTK_WIDGET (sync));
    g_assert_true (pas_test_ui_wait_until (plan_ready, sync, 20));
    g_assert_nonnull (pas_test_ui_find_button (GTK_WIDGET (sync), "_Synchroniser"));
    pas_test_ui_iterate (200);
    g_free (pas_test_ui_screenshot (GTK_WIDGET (sync), "synchronize-dialog-fr"));
    gtk_window_destroy (sync);
  }

  /* Compare, in French: the status lines say how the folders stand. */
  {
    PasFilePane *remote = pas_browser_get_remote_pane (browser);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
    pas_test_ui_wait_until (compared, remote, 20);
    g_test_message ("%s", pas_test_ui_template_label (GTK_WIDGET (remote), PAS_TYPE_FILE_PANE, "status_label"));
    g_assert_true (strstr (pas_test_ui_template_label (GTK_WIDGET (remote), PAS_TYPE_FILE_PANE, "status_label"), " — comparaison : ") != NULL ||
                   strstr (pas_test_ui_template_label (GTK_WIDGET (remote), PAS_TYPE_FILE_PANE, "status_label"), " — identiques des deux côtés") != NULL);
    pas_test_ui_iterate (300);
    g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "compare-marks-fr"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
  }

  /* A narrow window: one pane, and the switcher in French. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  g_assert_true (pas_test_ui_wait_until (folded, browser, 10));
  pas_test_ui_iterate (300);
  g_assert_true (gtk_widget_get_mapped (pas_test_ui_find_button (GTK_WIDGET (browser), "_Cet ordinateur")));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-360-fr"));

  /* A changed server key: the warning and its Replace, in French. */
  {
    g_autofree char *key = g_build_filename (pas_test_sshd_get_dir (sshd), "other_key", NULL);
    g_autofree char *pub_path = g_strconcat (key, ".pub", NULL);
    g_autofree char *pub = NULL;
    g_autofree char *line = NULL;
    g_auto(GStrv) fields = NULL;
    const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key, NULL };
    g_autoptr(PasUri) parsed = pas_uri_parse (uri, NULL);
    GtkWidget *danger = NULL;

    g_assert_true (pas_test_run (argv, NULL, NULL, NULL, NULL, NULL));
    g_assert_true (g_file_get_contents (pub_path, &pub, NULL, NULL));
    fields = g_strsplit (pub, " ", 3);
    line = g_strdup_printf ("[127.0.0.1]:%u %s %s\n", pas_test_sshd_get_port (sshd), fields[0], fields[1]);
    g_assert_true (g_file_set_contents (pas_test_sshd_get_known_hosts (sshd), line, -1, NULL));
    gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL));
    pas_window_add_server (window, parsed);
    g_assert_true (pas_test_ui_wait_until (alert_shown, NULL, 20));
    danger = pas_test_ui_find_widget (PAS_TYPE_ALERT);
    g_assert_cmpstr (pas_alert_get_heading (danger), ==, "Clé du serveur changée");
    g_assert_cmpstr (pas_alert_get_response_label (danger, "replace"), ==, "_Remplacer la clé enregistrée…");
    pas_test_ui_wait_for_mapped (danger);
    pas_test_ui_iterate (200);
    g_free (pas_test_ui_screenshot (danger, "host-key-changed-dialog-fr"));
    pas_alert_close (danger);
    pas_test_ui_iterate (300);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  pas_test_ui_iterate (100);
  while (pas_connection_count_running_threads () > 0)
    g_usleep (10000);
  g_application_release (G_APPLICATION (app));
}

int
main (int   argc,
      char *argv[])
{
  pas_test_ui_use_french ();
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PASSERELLE_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/french", test_french);

  return g_test_run ();
}
