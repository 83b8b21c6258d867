/* The two-pane window against a real OpenSSH sshd under Xvfb, a real
 * gnome-keyring and a private notification service: main() sets them up and
 * lists the cases, which live in the browser-*.c files by feature. The first
 * case connects the window; the others start connected, and each also runs
 * alone (-p), connecting first. Everything is checked on disk (the server is
 * on this machine); screenshots land in the build directory. */

#include "config.h"

#include "browser-fixture.h"

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  if (g_strcmp0 (method_name, "Notify") == 0)
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (notifications, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_strcmp0 (method_name, "GetCapabilities") == 0)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", (const char *[]) { "body", NULL }));
  else if (g_strcmp0 (method_name, "GetServerInformation") == 0)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "passerelle", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_service (void)
{
  static const char xml[] =
    "<node><interface name='org.freedesktop.Notifications'>"
    "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
    "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
    "<arg type='u' direction='out'/></method>"
    "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
    "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
    "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
    "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, NULL);
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  {
    guint32 result = 0;
    g_variant_get (reply, "(u)", &result);
    g_assert_cmpuint (result, ==, 1);   /* primary owner */
  }
  /* Kept: the last reference going would close the connection and drop the name. */
  notification_bus = bus;
}

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&captured_lock);
  if (captured_log != NULL)
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN"))
          {
            /* A text field ends at its first NUL even when its length says more
             * (GTK 4.18 counts the NUL), or strstr() would stop there. */
            g_string_append_len (captured_log, fields[i].value,
                                 fields[i].length < 0 ? (gssize) strlen (fields[i].value)
                                                      : (gssize) strnlen (fields[i].value, fields[i].length));
            g_string_append_c (captured_log, ' ');
          }
      g_string_append_c (captured_log, '\n');
      /* Debug output is only looked at, not printed. */
      if ((level & G_LOG_LEVEL_DEBUG) != 0)
        {
          g_mutex_unlock (&captured_lock);
          return G_LOG_WRITER_HANDLED;
        }
    }
  g_mutex_unlock (&captured_lock);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* A viewer for the opened-file test: the desktop's default for Markdown in
 * the test's private HOME, a program that just exits. */
static void
install_test_viewer (void)
{
  g_autofree char *apps = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *desktop = g_build_filename (apps, "pas-test-viewer.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);

  /* Only in the private HOME that scripts/test (session-run.sh) makes. */
  if (g_getenv ("XDG_DATA_HOME") == NULL || g_getenv ("XDG_CONFIG_HOME") == NULL)
    return;
  g_assert_cmpint (g_mkdir_with_parents (apps, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0755), ==, 0);
  g_assert_true (g_file_set_contents (desktop,
                                      "[Desktop Entry]\nType=Application\nName=Test viewer\n"
                                      "Exec=true %f\nMimeType=text/markdown;\n", -1, NULL));
  g_assert_true (g_file_set_contents (mimeapps,
                                      "[Default Applications]\ntext/markdown=pas-test-viewer.desktop\n",
                                      -1, NULL));
}

static void
make_tree (void)
{
  struct { const char *path; const char *text; } files[] = {
    { "docs/notes.txt", "- renew the certificate\n" },
    { "docs/.secret", "hidden\n" },
    { "readme.md", "# Demo\n" },
  };
  g_autofree char *local_report = g_build_filename (local_root, "report.txt", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (remote_root, files[i].path, NULL);
      g_autofree char *parent = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
      g_assert_true (g_file_set_contents (path, files[i].text, -1, NULL));
    }
  g_assert_cmpint (g_mkdir_with_parents (local_root, 0755), ==, 0);
  g_assert_true (g_file_set_contents (local_report, "Quarterly report\n", -1, NULL));
}

/* A case of the window: it starts connected, as the first case leaves it;
 * run alone (-p), that case runs first. */
static void
run_connected (gconstpointer data)
{
  void (*test) (void) = (void (*) (void)) data;

  if (window == NULL)
    test_connect_and_host_key ();
  test ();
}
#define ADD(path, func) g_test_add_data_func (path, (gconstpointer) (func), run_connected)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *identities[2] = { NULL, NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* GLib 2.80 and later route g_log() (not g_log_structured()) of a test
   * program to a handler of g_test_init's that prints it as a TAP comment
   * and never reaches the writer: hand it back to GLib's default handler,
   * which goes through the writer, so that every line is captured. */
  g_log_set_default_handler (g_log_default_handler, NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  sshd = pas_test_sshd_new (&(PasTestSshdOptions) { .password_auth = TRUE }, &error);
  g_assert_no_error (error);
  remote_root = g_build_filename (pas_test_sshd_get_dir (sshd), "srv", NULL);
  local_root = g_build_filename (pas_test_sshd_get_dir (sshd), "local", NULL);
  known_hosts = g_build_filename (pas_test_sshd_get_dir (sshd), "app_known_hosts", NULL);
  g_assert_true (g_file_set_contents (known_hosts, "", 0, NULL));
  make_tree ();
  install_test_viewer ();

  start_notification_service ();
  app = pas_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));
  identities[0] = pas_test_sshd_get_user_key (sshd);
  pas_application_set_identity_files (app, identities);
  pas_application_set_known_hosts (app, known_hosts);

  g_test_add_func ("/ui/browser/connect-and-host-key", test_connect_and_host_key);
  /* The others run in the window the first one connected (or connect it
   * first when run alone, with -p). */
  ADD ("/ui/browser/browse", test_browse);
  ADD ("/ui/browser/idle-window-sleeps", test_idle_window_sleeps);
  /* After the idle test: with GTK 4.18, a row given the focus by a test
   * (not by the keyboard) left the window waking ~40 times a second. */
  ADD ("/ui/browser/keyboard-row-and-menu", test_keyboard_row_and_menu);
  ADD ("/ui/browser/connection-details", test_connection_details);
  ADD ("/ui/browser/remote-folder-operations", test_remote_folder_operations);
  ADD ("/ui/browser/upload-and-download", test_upload_and_download);
  ADD ("/ui/browser/drop-on-remote-pane", test_drop_on_remote_pane);
  ADD ("/ui/browser/conflict-keep-both", test_conflict_keep_both);
  ADD ("/ui/browser/panel-tells-the-truth", test_panel_tells_the_truth);
  ADD ("/ui/browser/panel-follows-work", test_panel_follows_work);
  ADD ("/ui/browser/properties-chmod", test_properties_chmod);
  ADD ("/ui/browser/password-and-keyring", test_password_and_keyring);
  ADD ("/ui/browser/passphrase-and-keyring", test_passphrase_and_keyring);
  ADD ("/ui/browser/open-remote-file", test_open_remote_file);
  ADD ("/ui/browser/drag-out-to-desktop", test_drag_out_to_desktop);
  ADD ("/ui/browser/drop-on-local-pane", test_drop_on_local_pane);
  ADD ("/ui/browser/click-activates-pane", test_click_activates_pane);
  ADD ("/ui/browser/narrow-window", test_narrow_window);
  ADD ("/ui/browser/dark-style", test_dark_style);
  ADD ("/ui/browser/big-folder-streams", test_big_folder_streams);
  ADD ("/ui/browser/transfers-never-stall", test_transfers_never_stall);
  ADD ("/ui/browser/sessions-dialog", test_sessions_dialog);
  ADD ("/ui/browser/one-resolver", test_one_resolver);
  ADD ("/ui/browser/failed-tab-edit", test_failed_tab_edit);
  ADD ("/ui/browser/tab-through-jump", test_tab_through_jump);
  ADD ("/ui/browser/key-tools", test_key_tools);
  ADD ("/ui/browser/filezilla-import", test_filezilla_import);
  ADD ("/ui/browser/run-command", test_run_command);
  ADD ("/ui/browser/synchronize", test_synchronize);
  ADD ("/ui/browser/follow-folders", test_follow_folders);
  ADD ("/ui/browser/follow-path", test_follow_path);
  ADD ("/ui/browser/compare-marks", test_compare_marks);
  ADD ("/ui/browser/preferences-apply", test_preferences_apply);
  ADD ("/ui/browser/connection-lost-and-reconnect", test_connection_lost_and_reconnect);
  ADD ("/ui/browser/changed-host-key", test_changed_host_key);
  ADD ("/ui/browser/hostile-server", test_hostile_server);

  ret = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  pas_test_ui_iterate (100);
  /* The application disconnects the servers it still holds; their threads
   * end once this thread has answered what they were waiting for. */
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  pas_test_wait_for_connection_threads ();
  pas_test_rm_rf (local_root, NULL);
  g_clear_pointer (&sshd, pas_test_sshd_free);
  g_free (remote_root);
  g_free (local_root);
  g_free (known_hosts);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_clear_object (&notification_bus);
  return ret;
}
