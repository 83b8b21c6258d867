/* UI smoke test under Xvfb: the real application opens its main window,
 * takes sftp:// addresses the way the desktop hands them over, restores its
 * size, and shows About and the shortcuts window. Screenshots land in the
 * build directory for people to look at. */
#include "config.h"

#include <string.h>

#include "pas-alert.h"
#include "pas-application.h"
#include "pas-engine.h"
#include "pas-preferences-window.h"
#include "pas-window.h"
#include "pas-test-ui.h"

static PasApplication *app;

static PasWindow *
open_uris (const char * const *uris)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; uris[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_uri (uris[i]));

  g_application_open (G_APPLICATION (app), (GFile **) files->pdata, files->len, "");
  return PAS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static void
close_all_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  pas_test_ui_iterate (50);
}

static void
test_window_empty (void)
{
  PasWindow *window;
  g_autofree char *shot = NULL;

  g_application_activate (G_APPLICATION (app));
  window = PAS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (window));

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Passerelle");
  g_assert_cmpuint (pas_window_get_n_servers (window), ==, 0);
  shot = pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-empty");
  g_assert_true (g_file_test (shot, G_FILE_TEST_IS_REGULAR));

  close_all_windows ();
}

static void
test_window_open_uri (void)
{
  /* Nothing listens on these ports: the tabs show why they could not connect. */
  const char *uris[] = { "sftp://root@127.0.0.1:1/srv/demo", NULL };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PasWindow *window;
  g_autofree char *shot = NULL;

  /* A default folder that has gone away: the tab starts at home (found out
   * by the listing, not by a stat on the UI thread). */
  g_settings_set_string (settings, "default-local-folder", "/nonexistent/passerelle-test");
  window = open_uris (uris);
  g_assert_nonnull (window);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (window));
  {
    PasFilePane *local = pas_browser_get_local_pane (pas_window_get_browser (window, 0));
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (g_strcmp0 (pas_file_pane_get_location (local), g_get_home_dir ()) != 0 &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpstr (pas_file_pane_get_location (local), ==, g_get_home_dir ());
  }
  g_settings_reset (settings, "default-local-folder");

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==,
                   "root@127.0.0.1:1 — Passerelle");
  g_assert_cmpuint (pas_window_get_n_servers (window), ==, 1);
  shot = pas_test_ui_screenshot (GTK_WIDGET (window), "main-window");

  /* A second address sent to the running instance lands in the same window. */
  {
    const char *more[] = { "sftp://deploy@127.0.0.1:9/~/www", NULL };
    g_assert_true (open_uris (more) == window);
    g_assert_cmpuint (pas_window_get_n_servers (window), ==, 2);
  }

  close_all_windows ();
}

static void
test_window_bad_uri (void)
{
  const char *uris[] = { "sftp://root:hunter2@example.com/", "http://example.com/", NULL };
  PasWindow *window = open_uris (uris);

  g_assert_nonnull (window);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (window));
  /* Both refused: no server was added and the title stays plain. */
  g_assert_cmpuint (pas_window_get_n_servers (window), ==, 0);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Passerelle");

  /* The last refusal is shown with its remedy; the password never is. */
  g_assert_nonnull (pas_window_get_error_text (window));
  g_assert_nonnull (strstr (pas_window_get_error_text (window), "only sftp:// addresses"));
  g_assert_nonnull (strstr (pas_window_get_error_text (window), "sftp://root@example.com/var/www"));
  open_uris ((const char *[]) { uris[0], NULL });
  g_assert_nonnull (strstr (pas_window_get_error_text (window), "passwords are never taken"));
  g_assert_null (strstr (pas_window_get_error_text (window), "hunter2"));
  pas_test_ui_iterate (400);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "main-window-bad-address"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-error", NULL));
  g_assert_null (pas_window_get_error_text (window));

  close_all_windows ();
}

/* Iterates until @window's width has stayed the same for 200 ms (at most
 * 10 s), and returns it: the window manager's answer to a size can come
 * late on a loaded machine (ASan), and would undo a resize sent before it. */
static int
settled_width (PasWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  int width = -1;
  guint same = 0;

  while (same < 10 && g_get_monotonic_time () < deadline)
    {
      int now = gtk_widget_get_width (GTK_WIDGET (window));

      same = now == width && now > 0 ? same + 1 : 0;
      width = now;
      pas_test_ui_iterate (20);
    }
  return width;
}

static void
test_window_state_restored (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PasWindow *window;
  int width = 0, height = 0, first;

  g_settings_set (settings, "window-size", "(ii)", 913, 641);
  g_application_activate (G_APPLICATION (app));
  window = PAS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 913);
  g_assert_cmpint (height, ==, 641);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (window));
  first = settled_width (window);

  /* A resize, as a person would make one, then quitting. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  g_assert_cmpint (settled_width (window), ==, first + (1024 - 913));
  gtk_window_close (GTK_WINDOW (window));
  pas_test_ui_iterate (100);

  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 1024);
  g_assert_cmpint (height, ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  close_all_windows ();
}

static void
test_window_about_and_shortcuts (void)
{
  PasWindow *window;
  GtkWindow *about;
  GtkWindow *shortcuts;

  g_application_activate (G_APPLICATION (app));
  window = PAS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  pas_test_ui_wait_for_mapped (GTK_WIDGET (window));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = pas_test_ui_find_window (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (about));
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (about), "about-window"));
  gtk_window_destroy (about);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  shortcuts = pas_test_ui_find_window (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (shortcuts));
  g_free (pas_test_ui_screenshot (GTK_WIDGET (shortcuts), "shortcuts-window"));

  close_all_windows ();
}

/* The preferences window writes every setting it shows. */
static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWindow *prefs;
  GtkWidget *widget;

  g_application_activate (G_APPLICATION (app));
  pas_test_ui_wait_for_mapped (GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app))));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = pas_test_ui_find_window (PAS_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (prefs));

  widget = pas_test_ui_find_named (GTK_WIDGET (prefs), "max-transfers");
  g_assert_nonnull (widget);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), 4);
  g_assert_cmpuint (g_settings_get_uint (settings, "max-transfers"), ==, 4);

  widget = pas_test_ui_find_named (GTK_WIDGET (prefs), "conflict-policy");
  g_assert_nonnull (widget);
  adw_combo_row_set_selected (ADW_COMBO_ROW (widget), 4);
  {
    g_autofree char *policy = g_settings_get_string (settings, "conflict-policy");
    g_assert_cmpstr (policy, ==, "rename");
  }
  g_settings_set_string (settings, "conflict-policy", "newer");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (widget)), ==, 5);

  widget = pas_test_ui_find_named (GTK_WIDGET (prefs), "confirm-delete");
  g_assert_nonnull (widget);
  gtk_switch_set_active (GTK_SWITCH (widget), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "confirm-delete"));

  widget = pas_test_ui_find_named (GTK_WIDGET (prefs), "default-local-folder");
  gtk_editable_set_text (GTK_EDITABLE (widget), "/tmp");
  {
    g_autofree char *folder = g_settings_get_string (settings, "default-local-folder");
    g_assert_cmpstr (folder, ==, "/tmp");
  }
  pas_test_ui_iterate (200);
  g_free (pas_test_ui_screenshot (GTK_WIDGET (prefs), "preferences-window"));

  g_settings_reset (settings, "max-transfers");
  g_settings_reset (settings, "conflict-policy");
  g_settings_reset (settings, "confirm-delete");
  g_settings_reset (settings, "default-local-folder");

  /* Escape closes it, as every dialog. */
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  pas_test_ui_press_keys ("Preferences", "Escape");
  for (gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       prefs != NULL && g_get_monotonic_time () < deadline;)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (prefs);
  close_all_windows ();
}

static gboolean
queue_file_has (const char *remote)
{
  g_autofree char *path = g_build_filename (g_get_user_state_dir (), "passerelle", "queue.ini", NULL);
  g_autofree char *text = NULL;

  return g_file_get_contents (path, &text, NULL, NULL) && strstr (text, remote) != NULL;
}

/* Ctrl+Q with a transfer waiting: the question, then "Stop and Quit" closes
 * the window, and the transfer stays in the saved queue for next time. (No
 * connection is made: its server is only named.) */
static gboolean
is_shown_with_tooltip (GtkWidget    *widget,
                       gconstpointer tooltip)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0 && gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_by_tooltip (GtkWidget  *widget,
                 const char *tooltip)
{
  return pas_test_ui_find (widget, is_shown_with_tooltip, tooltip);
}

static void
test_quit_with_transfers (void)
{
  PasTransferQueue *queue = pas_application_get_queue (app);
  g_autoptr(GFile) local = g_file_new_build_filename (g_get_tmp_dir (), "pas-quit-test.iso", NULL);
  g_autoptr(PasTransfer) transfer = pas_transfer_new (PAS_TRANSFER_DOWNLOAD, "/srv/pas-quit-test.iso", local);
  PasAlert *dialog = NULL;
  gint64 deadline;

  g_application_activate (G_APPLICATION (app));
  pas_test_ui_wait_for_mapped (GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app))));
  pas_transfer_queue_add (queue, transfer, "nobody@127.0.0.1:1");
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((dialog = (PasAlert *) pas_test_ui_find_widget (PAS_TYPE_ALERT)) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (dialog);
  pas_test_ui_wait_for_mapped (GTK_WIDGET (dialog));
  g_assert_cmpstr (pas_alert_get_heading (dialog), ==, "Stop 1 Transfer?");
  g_assert_cmpstr (pas_alert_get_default_response (dialog), ==, "keep");
  g_signal_emit_by_name (pas_test_ui_find_button (GTK_WIDGET (dialog), pas_alert_get_response_label (dialog, "stop")),
                         "clicked");
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* Not cancelled: saved, to continue when its server is connected. */
  g_assert_cmpint (pas_transfer_get_state (transfer), ==, PAS_TRANSFER_QUEUED);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!queue_file_has ("/srv/pas-quit-test.iso") && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_true (queue_file_has ("/srv/pas-quit-test.iso"));

  /* In the next window its row waits for its server and offers to connect:
   * one click opens a tab on that server. */
  {
    PasWindow *window;
    GtkWidget *connect;

    g_application_activate (G_APPLICATION (app));
    window = PAS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
    pas_test_ui_wait_for_mapped (GTK_WIDGET (window));
    pas_test_ui_iterate (300);
    connect = find_by_tooltip (GTK_WIDGET (pas_window_get_transfer_panel (window)), "Connect to Its Server");
    g_assert_nonnull (connect);
    g_assert_true (gtk_widget_get_mapped (connect));
    g_free (pas_test_ui_screenshot (GTK_WIDGET (window), "transfer-waiting-for-server"));
    g_signal_emit_by_name (connect, "clicked");
    pas_test_ui_iterate (200);
    g_assert_cmpuint (pas_window_get_n_servers (window), ==, 1);
    g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), "nobody@127.0.0.1:1"));
  }

  /* Cancelled, it leaves the saved queue too (and the next test's app). */
  pas_transfer_queue_cancel (queue, transfer);
  pas_transfer_queue_clear_finished (queue);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (queue_file_has ("/srv/pas-quit-test.iso") && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_false (queue_file_has ("/srv/pas-quit-test.iso"));
  close_all_windows ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  app = pas_application_new ();
  /* Private to this process: no name on the bus, nothing else can take our windows. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/ui/window/empty", test_window_empty);
  g_test_add_func ("/ui/window/open-uri", test_window_open_uri);
  g_test_add_func ("/ui/window/bad-uri", test_window_bad_uri);
  g_test_add_func ("/ui/window/state-restored", test_window_state_restored);
  g_test_add_func ("/ui/window/about-and-shortcuts", test_window_about_and_shortcuts);
  g_test_add_func ("/ui/window/preferences", test_preferences);
  g_test_add_func ("/ui/window/quit-with-transfers", test_quit_with_transfers);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return ret;
}
